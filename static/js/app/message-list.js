// The bubbles of one conversation: incoming on one side, outgoing on the other, each with its
// time and, when outgoing, its delivery state (✓ sent, ✓✓ delivered).
import { h } from './dom.js';
import { clockTime } from './format.js';

const MARKS = { sending: '\u25f7', sent: '\u2713', delivered: '\u2713\u2713', failed: '!' };

export function messageList(app) {
  const { i18n, t } = app;
  const el = h('ol', {
    class: 'messages', tabindex: 0, 'aria-label': t('conversation.messages'), dataset: { testid: 'message-list' },
  });
  const bubbles = new Map(); // message id -> <li>

  function statusMark(status) {
    return h('span', { class: 'status', title: t(`status.${status}`) },
      h('span', { 'aria-hidden': 'true' }, MARKS[status] ?? ''),
      h('span', { class: 'visually-hidden' }, t(`status.${status}`)));
  }

  function bubble(message) {
    const li = h('li', {
      class: `bubble ${message.outgoing ? 'out' : 'in'}`, dataset: { testid: 'message', id: message.id },
    },
    message.unsupported
      ? h('p', { class: 'body unsupported', dataset: { testid: 'unsupported' } }, t('message.unsupported'))
      : h('p', { class: 'body', dir: 'auto' }, message.body),
    h('p', { class: 'meta' },
      h('time', { datetime: new Date(message.timestamp).toISOString() }, clockTime(i18n, message.timestamp))));
    setStatus(li, message);
    return li;
  }

  function setStatus(li, message) {
    if (!message.outgoing || li.dataset.status === message.status) return;
    li.dataset.status = message.status;
    li.querySelector('.status')?.remove();
    li.querySelector('.meta').append(statusMark(message.status));
  }

  const nearBottom = () => el.scrollHeight - el.scrollTop - el.clientHeight < 48;

  return {
    el,
    // Shows `messages` (oldest first), keeping the bubbles already shown: a status change does
    // not rebuild the list or lose the reader's place.
    show(messages) {
      const follow = nearBottom() || bubbles.size === 0;
      const ids = new Set();
      let previous = null;
      for (const message of [...messages].sort((a, b) => a.timestamp - b.timestamp)) {
        ids.add(message.id);
        let li = bubbles.get(message.id);
        if (li) setStatus(li, message);
        else bubbles.set(message.id, (li = bubble(message)));
        if (li.previousElementSibling !== previous || li.parentNode !== el) {
          if (previous) previous.after(li);
          else el.prepend(li);
        }
        previous = li;
      }
      for (const [id, li] of bubbles) {
        if (!ids.has(id)) {
          li.remove();
          bubbles.delete(id);
        }
      }
      el.querySelector('.empty')?.remove();
      if (bubbles.size === 0) el.append(h('li', { class: 'empty' }, t('conversation.empty')));
      if (follow) el.scrollTop = el.scrollHeight;
    },
    // Returns false when the message is not shown (the caller reloads instead).
    setStatus(id, status) {
      const li = bubbles.get(id);
      if (!li) return false;
      setStatus(li, { outgoing: true, status });
      return true;
    },
  };
}
