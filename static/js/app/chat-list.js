// The chats, newest first: who (the name they shared, or the number), the last message, when,
// how many are unread, and whether they are muted.
import { h, replaceChildren } from './dom.js';
import { chatTime, failureReason } from './format.js';
import { isMuted } from '../client/index.js';

export function chatList(app, scope, view) {
  const { device, i18n, t } = app;
  const list = h('ul', { class: 'chat-list', dataset: { testid: 'chat-list' } });
  const query = h('input', {
    id: 'search-input', type: 'search', autocomplete: 'off', placeholder: t('search.placeholder'),
    'aria-label': t('search.label'), dataset: { testid: 'search-input' },
  });
  const hits = h('ul', { class: 'chat-list search-hits', hidden: true, 'aria-label': t('search.results'), dataset: { testid: 'search-hits' } });
  const el = h('div', {}, h('div', { class: 'search' }, query), hits, list);
  let loads = 0;
  let searches = 0;

  // While a search is typed, its hits replace the chats; a hit opens its chat at the message.
  async function search() {
    const mine = ++searches;
    const text = query.value;
    if (text.trim() === '') {
      hits.hidden = true;
      list.hidden = false;
      return;
    }
    let found;
    try {
      found = await app.search.search(text);
    } catch (err) {
      app.notices.show(t('notice.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' });
      return;
    }
    if (mine !== searches) return;
    list.hidden = true;
    hits.hidden = false;
    replaceChildren(hits, found.length === 0 ? h('li', { class: 'empty', dataset: { testid: 'search-empty' } }, t('search.none'))
      : found.map((hit) => h('li', {}, h('button', {
        type: 'button', class: 'chat-item', dataset: { testid: 'search-hit', peer: hit.peer, id: hit.id },
        onclick: () => view.openChat(hit.peer, { message: hit.id }),
      },
      h('span', { class: 'chat-peer' }, app.nameOf(hit.peer)),
      h('time', { class: 'chat-time', datetime: new Date(hit.timestamp).toISOString() }, chatTime(i18n, hit.timestamp)),
      h('span', { class: 'chat-preview', dir: 'auto' }, hit.outgoing ? t('chats.you', { text: hit.body }) : hit.body)))));
  }
  scope.listen(query, 'input', search);

  async function refresh() {
    const mine = ++loads;
    let conversations;
    try {
      conversations = await device.conversations();
    } catch (err) {
      app.notices.show(t('notice.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' });
      return;
    }
    if (mine !== loads) return; // a newer load is under way
    render([...conversations].sort((a, b) => (b.lastMessage?.timestamp ?? 0) - (a.lastMessage?.timestamp ?? 0)));
  }

  function render(conversations) {
    if (conversations.length === 0) {
      replaceChildren(list, h('li', { class: 'empty' }, t('chats.empty')));
      return;
    }
    // A keyboard user on a chat stays on it when the list is drawn again.
    const focused = list.contains(list.ownerDocument.activeElement) ? list.ownerDocument.activeElement.dataset.peer : null;
    replaceChildren(list, conversations.map((conversation) => item(conversation)));
    if (focused) focusChat(focused);
  }

  // Returns whether the chat was there to focus.
  function focusChat(peer) {
    const button = [...list.querySelectorAll('.chat-item')].find((b) => b.dataset.peer === peer);
    button?.focus();
    return Boolean(button);
  }

  function item({ peer, lastMessage, unread, mutedUntil }) {
    const muted = isMuted({ mutedUntil });
    const text = lastMessage?.deleted ? t('message.deleted') : lastMessage?.unsupported ? t('message.unsupported') : lastMessage?.body;
    const preview = !lastMessage ? '' : lastMessage.outgoing ? t('chats.you', { text }) : text;
    return h('li', {},
      h('button', {
        type: 'button', class: 'chat-item', 'aria-current': peer === view.peer ? 'true' : null,
        dataset: { testid: 'chat-item', peer }, onclick: () => view.openChat(peer),
      },
      h('span', { class: 'chat-peer', dataset: { testid: 'chat-name' } }, app.nameOf(peer)),
      lastMessage ? h('time', { class: 'chat-time', datetime: new Date(lastMessage.timestamp).toISOString() },
        chatTime(i18n, lastMessage.timestamp)) : null,
      h('span', { class: 'chat-preview', dir: 'auto' }, preview),
      h('span', { class: 'chat-marks' },
        muted ? h('span', { class: 'chat-muted emoji', dataset: { testid: 'chat-muted' } },
          h('span', { 'aria-hidden': 'true' }, '\u{1F515}'),
          h('span', { class: 'visually-hidden' }, t('chats.muted'))) : null,
        unread > 0 ? h('span', { class: muted ? 'badge muted' : 'badge', dataset: { testid: 'unread' } },
          h('span', { 'aria-hidden': 'true' }, i18n.number(unread)),
          h('span', { class: 'visually-hidden' }, t('chats.unread', { count: unread }))) : null)));
  }

  for (const type of ['message', 'message-changed', 'message-removed', 'conversation-read', 'conversation-muted', 'profile',
    'history-progress', 'history-done']) {
    scope.listen(device, type, refresh);
  }
  refresh();

  return { el, refresh, focusChat };
}
