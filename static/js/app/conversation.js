// One conversation: the peer's name (and number, and "typing…"), muting its notifications, its
// messages with what can be done to each, the composer, and the safety number of the peer.
import { h } from './dom.js';
import { messageList } from './message-list.js';
import { composer } from './composer.js';
import { showSafetyNumber } from './safety-dialog.js';
import { dateTime, failureReason } from './format.js';
import { openDialog } from './dialog.js';
import { ALWAYS_MUTED, isMuted } from '../client/index.js';

// The windows in which a message may still be edited or deleted for everyone (the core refuses
// later ones; the menu does not offer them).
const EDIT_WINDOW_MS = 15 * 60 * 1000;
const DELETE_WINDOW_MS = 2 * 24 * 3600 * 1000;
// A peer's "typing…" that is not said again goes after this long.
const TYPING_SHOWN_MS = 6_000;
// How long a chat can be muted for, as WhatsApp offers it.
const HOUR_MS = 3600 * 1000;
const MUTE_CHOICES = [['hours8', 8 * HOUR_MS], ['week', 7 * 24 * HOUR_MS], ['always', null]];

// message: a message to bring into view once the conversation shows (a search hit).
export function conversationView(app, scope, peer, view, { message: shownFirst } = {}) {
  const { device, t } = app;
  const own = () => device.account?.number;
  const list = messageList(app, { names: app.names, actions: act, allowed });
  const writer = composer(app, {
    onFile: (file, options) => device.sendFile(peer, file, options).catch((err) =>
      app.notices.show(t('notice.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' })),
    onSend: send,
    onTyping: (typing) => device.setTyping(peer, typing).catch(() => {}),
  });
  let loads = 0;
  const name = h('h2', { class: 'conversation-peer', dataset: { testid: 'conversation-name' } });
  const number = h('p', { class: 'conversation-number', dataset: { testid: 'conversation-number' } });
  const typing = h('p', { class: 'typing', hidden: true, dataset: { testid: 'typing' } }, t('conversation.typing'));
  let typingTimer = null;

  const muteButton = h('button', {
    type: 'button', class: 'button icon mute-button emoji', dataset: { testid: 'mute-button' }, onclick: toggleMute,
  });
  let mutedUntil = 0;

  function showMuted() {
    const muted = isMuted({ mutedUntil });
    muteButton.textContent = muted ? '\u{1F515}' : '\u{1F514}';
    muteButton.dataset.muted = String(muted);
    const state = !muted ? '' : mutedUntil === ALWAYS_MUTED ? t('conversation.mutedAlways')
      : t('conversation.mutedUntil', { time: dateTime(app.i18n, mutedUntil) });
    const label = muted ? `${t('conversation.unmute')} (${state})` : t('conversation.mute');
    muteButton.setAttribute('aria-label', label);
    muteButton.title = label;
  }

  async function loadMuted() {
    const conversation = (await device.conversations()).find((c) => c.peer === peer);
    mutedUntil = conversation?.mutedUntil ?? 0;
    showMuted();
  }

  // Muted: unmute at once. Not muted: ask for how long.
  async function toggleMute() {
    let until = 0;
    if (!isMuted({ mutedUntil })) {
      const choice = await openDialog(app, {
        title: t('mute.title', { name: app.nameOf(peer) }),
        body: h('p', {}, t('mute.body')),
        actions: [{ label: t('mute.cancel'), value: 'cancel', testid: 'mute-cancel' },
          ...MUTE_CHOICES.map(([key]) => ({ label: t(`mute.${key}`), value: key, testid: `mute-${key}`, look: 'primary' }))],
        testid: 'mute-dialog',
        opener: muteButton,
      });
      const chosen = MUTE_CHOICES.find(([key]) => key === choice);
      if (!chosen) return;
      until = chosen[1] === null ? ALWAYS_MUTED : Date.now() + chosen[1];
    }
    try {
      await device.muteChat(peer, until);
    } catch (err) {
      app.notices.show(t('notice.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' });
    }
  }

  function showName() {
    const known = app.names()[peer];
    name.textContent = known ?? peer;
    number.textContent = known ? peer : '';
    number.hidden = !known;
  }

  const el = h('div', { class: 'conversation', dataset: { testid: 'conversation', peer } },
    h('header', { class: 'conversation-head' },
      h('button', {
        type: 'button', class: 'button back', 'aria-label': t('conversation.back'), dataset: { testid: 'back' },
        onclick: () => view.closeChat(),
      }, h('span', { 'aria-hidden': 'true' }, '\u2190')),
      h('div', { class: 'conversation-title' }, name, number, typing),
      muteButton,
      h('button', {
        type: 'button', class: 'button link safety-button', dataset: { testid: 'safety-button' },
        onclick: (event) => showSafetyNumber(app, peer, event.currentTarget),
      }, t('conversation.safety'))),
    list.el,
    writer.el);

  async function load() {
    const mine = ++loads;
    try {
      const messages = await device.messages(peer);
      if (mine !== loads) return;
      list.show(messages);
      if (shownFirst) {
        list.scrollTo(shownFirst);
        shownFirst = null;
      }
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
      app.unreadChanged?.();
    } catch (err) {
      failed('notice.failed', err);
    }
  }

  // What the menu of a message offers.
  function allowed(message) {
    const can = new Set();
    if (message.status === 'failed') can.add('retry');
    if (message.unsupported || message.status === 'sending' || message.status === 'failed') return can;
    can.add('delete-for-me');
    if (message.deleted) return can;
    can.add('react').add('reply');
    const mine = message.from === own();
    const age = Date.now() - message.timestamp;
    if (mine && age <= EDIT_WINDOW_MS) can.add('edit');
    if (mine && age <= DELETE_WINDOW_MS) can.add('delete-for-everyone');
    return can;
  }

  async function act({ message, action, emoji }) {
    try {
      if (action === 'reply') writer.reply(message);
      else if (action === 'edit') writer.edit(message);
      else if (action === 'react') {
        const current = message.reactions?.[own()]?.emoji;
        await device.react(peer, message.id, current === emoji ? '' : emoji);
      } else if (action === 'retry') await device.retry(message.id);
      else if (action === 'delete-for-me' || action === 'delete-for-everyone') await confirmDelete(message, action);
    } catch (err) {
      failed('notice.failed', err);
    }
    load();
  }

  async function confirmDelete(message, action) {
    const forEveryone = action === 'delete-for-everyone';
    const choice = await openDialog(app, {
      title: t(forEveryone ? 'delete.everyone.title' : 'delete.me.title'),
      testid: 'delete-dialog',
      body: h('p', {}, t(forEveryone ? 'delete.everyone.body' : 'delete.me.body')),
      actions: [
        { label: t('delete.cancel'), value: 'cancel', testid: 'delete-cancel' },
        { label: t('delete.confirm'), value: 'delete', testid: 'delete-confirm', look: 'danger' },
      ],
    });
    if (choice === 'delete') await device.deleteMessage(peer, message.id, { forEveryone });
  }

  async function send(text, { replyTo, editing } = {}) {
    // The core records the message as 'sending' first; showing it at once and again when the
    // relay took it keeps the composer responsive on a slow connection.
    const sending = Promise.resolve(editing
      ? device.editMessage(peer, editing.id, text)
      : device.send(peer, text, replyTo ? { replyTo: replyTo.id } : {}));
    load();
    try {
      await sending;
    } catch (err) {
      failed(editing ? 'notice.failed' : 'send.failed', err);
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
    if (!event.detail?.outgoing) {
      typing.hidden = true;
      markRead();
    }
  });
  for (const type of ['message-changed', 'message-removed']) {
    scope.listen(device, type, (event) => {
      if (event.detail?.peer === peer) load();
    });
  }
  scope.listen(device, 'attachment-progress', (event) => list.progress(event.detail.id, event.detail.done, event.detail.total));
  // A file dropped on the conversation, or a picture pasted into it, is sent as a chosen one is.
  scope.listen(el, 'dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  });
  scope.listen(el, 'drop', (event) => {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    for (const file of event.dataTransfer.files) writer.sendFile(file);
  });
  scope.listen(el, 'paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    for (const file of files) writer.sendFile(file);
  });
  scope.listen(device, 'message-status', (event) => {
    if (!list.setStatus(event.detail?.id, event.detail?.status, event.detail?.error)) load();
  });
  scope.listen(device, 'typing', (event) => {
    if (event.detail?.peer !== peer) return;
    clearTimeout(typingTimer);
    typing.hidden = !event.detail.typing;
    if (event.detail.typing) typingTimer = setTimeout(() => { typing.hidden = true; }, TYPING_SHOWN_MS);
  });
  scope.listen(device, 'profile', showName);
  scope.listen(device, 'conversation-muted', (event) => {
    if (event.detail?.peer !== peer) return;
    mutedUntil = event.detail.mutedUntil;
    showMuted();
  });
  scope.listen(device, 'conversation-read', (event) => {
    if (event.detail?.peer === peer) view.chatsChanged();
  });
  scope.listen(app.doc, 'visibilitychange', markRead);
  scope.onDispose(() => {
    clearTimeout(typingTimer);
    writer.stop();
  });
  showName();
  showMuted();
  loadMuted().catch(() => {});
  load();
  markRead();

  return { el, focus: writer.focus };
}
