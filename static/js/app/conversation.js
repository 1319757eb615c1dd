// One conversation: its messages, the composer, and the safety number of the peer.
import { h } from './dom.js';
import { messageList } from './message-list.js';
import { composer } from './composer.js';
import { showSafetyNumber } from './safety-dialog.js';
import { failureReason } from './format.js';

export function conversationView(app, scope, peer, view) {
  const { device, t } = app;
  const list = messageList(app);
  const writer = composer(app, { onSend: send });
  let loads = 0;

  const el = h('div', { class: 'conversation', dataset: { testid: 'conversation', peer } },
    h('header', { class: 'conversation-head' },
      h('button', {
        type: 'button', class: 'button back', 'aria-label': t('conversation.back'), dataset: { testid: 'back' },
        onclick: () => view.closeChat(),
      }, h('span', { 'aria-hidden': 'true' }, '\u2190')),
      h('h2', { class: 'conversation-peer' }, peer),
      h('button', {
        type: 'button', class: 'button link', dataset: { testid: 'safety-button' },
        onclick: (event) => showSafetyNumber(app, peer, event.currentTarget),
      }, t('conversation.safety'))),
    list.el,
    writer.el);

  async function load() {
    const mine = ++loads;
    try {
      const messages = await device.messages(peer);
      if (mine === loads) list.show(messages);
    } catch (err) {
      failed('notice.failed', err);
    }
  }

  // Reading a conversation on screen reads its messages; a hidden tab reads nothing.
  async function markRead() {
    if (app.doc.visibilityState === 'hidden') return;
    try {
      await device.markRead(peer);
      view.chatsChanged();
    } catch (err) {
      failed('notice.failed', err);
    }
  }

  async function send(text) {
    // The core records the message as 'sending' first; showing it at once and again when the
    // relay took it keeps the composer responsive on a slow connection.
    const sending = Promise.resolve(device.send(peer, text));
    load();
    try {
      await sending;
    } catch (err) {
      failed('send.failed', err);
    }
    load();
    view.chatsChanged();
  }

  function failed(key, err) {
    app.notices.show(t(key, { reason: failureReason(app.i18n, err) }), { tone: 'error' });
  }

  scope.listen(device, 'message', (event) => {
    if (event.detail?.peer !== undefined && event.detail.peer !== peer) return;
    load();
    if (!event.detail?.outgoing) markRead();
  });
  scope.listen(device, 'message-status', (event) => {
    if (!list.setStatus(event.detail?.id, event.detail?.status)) load();
  });
  scope.listen(app.doc, 'visibilitychange', markRead);
  load();
  markRead();

  return { el, focus: writer.focus };
}
