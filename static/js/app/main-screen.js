// A browser in its account, as the phone or a linked device: the side bar (chats, new chat,
// linked devices, settings) and the open conversation. On a narrow screen one of the two shows at
// a time. On the phone, a device that waits for its linking code is announced above the panels.
import { h, replaceChildren } from './dom.js';
import { historyProgress } from './history-progress.js';
import { chatList } from './chat-list.js';
import { newChatPanel } from './new-chat.js';
import { devicesPanel } from './devices-panel.js';
import { settingsPanel } from './settings-panel.js';
import { conversationView } from './conversation.js';
import { watchDevices } from './device-watch.js';
import { sendFailureText } from './send-failure.js';
import { pairingBanner } from './pairing-banner.js';

const PANELS = {
  chats: { title: 'nav.chats', render: chatList },
  'new-chat': { title: 'newChat.title', render: newChatPanel },
  devices: { title: 'devices.title', render: devicesPanel },
  settings: { title: 'settings.title', render: settingsPanel },
};
const NAV = [['chats', 'nav.chats'], ['new-chat', 'nav.newChat'], ['devices', 'nav.devices'], ['settings', 'nav.settings']];

export function renderMainScreen(app, scope) {
  const { device, t } = app;
  app.header.showConnection(true);
  scope.onDispose(() => app.header.showConnection(false));
  watchDevices(app, scope);
  // A text the relay refused for a reason the user can act on is explained, whichever chat is open.
  scope.listen(device, 'message-status', (event) => {
    const text = sendFailureText(app.i18n, event.detail);
    if (text) app.notices.show(text, { tone: 'error' });
  });

  const accountName = h('p', { class: 'account-name', dataset: { testid: 'account-name' } }, device.account?.name ?? '');
  scope.listen(device, 'account', () => {
    accountName.textContent = device.account?.name ?? '';
  });
  const title = h('h1', { id: 'panel-title', tabindex: -1 });
  const panelBody = h('div', { class: 'panel-body' });
  const navButtons = NAV.map(([name, label]) => h('button', {
    type: 'button', class: 'nav-button', dataset: { testid: `nav-${name}`, panel: name },
    onclick: () => showPanel(name, { focus: true }),
  }, t(label)));
  const pane = h('section', { class: 'conversation-pane', 'aria-label': t('conversation.label') });
  const layout = h('div', { class: 'main-layout', dataset: { open: 'list', testid: 'main' } },
    h('aside', { class: 'sidebar', 'aria-labelledby': 'panel-title' },
      h('div', { class: 'sidebar-head' },
        h('div', { class: 'account' },
          h('p', { class: 'account-number', dataset: { testid: 'account-number' } }, device.account?.number ?? ''),
          accountName),
        h('nav', { class: 'panel-nav', 'aria-label': t('nav.label') }, navButtons)),
      device.account?.primary ? pairingBanner(app, scope) : historyProgress(app, scope, { hiddenUntilProgress: true }),
      h('div', { class: 'panel' }, title, panelBody)),
    pane);

  let panelScope = null;
  let panel = null;
  let conversationScope = null;
  let peer = null;

  const view = {
    get peer() {
      return peer;
    },
    openChat,
    closeChat,
    showPanel,
    // The chat list refreshes after a conversation changed it (read, sent).
    chatsChanged: () => panel?.refresh?.(),
  };

  function showPanel(name, { focus = false } = {}) {
    panelScope?.dispose();
    panelScope = scope.child();
    title.textContent = t(PANELS[name].title);
    for (const button of navButtons) button.setAttribute('aria-pressed', String(button.dataset.panel === name));
    panel = PANELS[name].render(app, panelScope, view);
    replaceChildren(panelBody, panel.el);
    if (focus) (panel.focusTarget ?? title).focus();
  }

  // message: a message id to show (a search hit).
  function openChat(number, { message } = {}) {
    conversationScope?.dispose();
    conversationScope = scope.child();
    peer = number;
    const conversation = conversationView(app, conversationScope, number, view, { message });
    replaceChildren(pane, conversation.el);
    layout.dataset.open = 'conversation';
    panel?.refresh?.();
    conversation.focus();
  }

  function closeChat() {
    conversationScope?.dispose();
    conversationScope = null;
    const closed = peer;
    peer = null;
    showPlaceholder();
    layout.dataset.open = 'list';
    // Back where the user came from: the chat they left, once the list is fresh.
    Promise.resolve(panel?.refresh?.()).then(() => panel?.focusChat?.(closed) || title.focus());
  }

  function showPlaceholder() {
    replaceChildren(pane, h('div', { class: 'placeholder' }, h('p', {}, t('conversation.placeholder'))));
  }

  // For a notification: which chat is on screen, and a way to open one.
  app.openChat = () => peer;
  app.showChat = (number) => {
    showPanel('chats');
    openChat(number);
  };
  scope.onDispose(() => {
    app.openChat = null;
    app.showChat = null;
  });

  showPlaceholder();
  showPanel('chats');
  return layout;
}
