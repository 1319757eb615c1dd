// The bubbles of one conversation: incoming on one side, outgoing on the other, each with its
// time and, when outgoing, its delivery state (✓ sent, ✓✓ delivered, blue ✓✓ read); a reply's
// quote (a click goes to the message quoted), reactions counted under the bubble, "edited",
// "This message was deleted", long texts folded behind "Read more", and a day's heading before
// its first message. Each bubble has its actions (react, reply, edit, delete) behind a button.
import { h, replaceChildren } from './dom.js';
import { clockTime, dayHeading, fileSize } from './format.js';

// A voice note's length: 0:42.
function clockDuration(ms) {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

const MARKS = { sending: '\u25f7', sent: '\u2713', delivered: '\u2713\u2713', read: '\u2713\u2713', failed: '!' };
// A picture or voice note up to this size is downloaded as soon as it shows; a larger one, or any
// other file, when the person asks.
const AUTO_DOWNLOAD_BYTES = 16 * 1024 * 1024;
// A text longer than this (characters, or lines) is folded until "Read more".
const FOLD_CHARS = 700;
const FOLD_LINES = 12;
export const QUICK_REACTIONS = ['\u{1F44D}', '\u2764\uFE0F', '\u{1F602}', '\u{1F62E}', '\u{1F622}', '\u{1F64F}'];

// actions({ message, action, emoji }) runs what the person chose ('reply', 'react', 'edit',
// 'delete-for-me', 'delete-for-everyone', 'retry'); allowed(message) says which of them apply.
export function messageList(app, { names = () => ({}), actions = () => {}, allowed = () => new Set() } = {}) {
  const { i18n, t } = app;
  const el = h('ol', {
    class: 'messages', tabindex: 0, 'aria-label': t('conversation.messages'), dataset: { testid: 'message-list' },
  });
  const bubbles = new Map(); // message id -> <li>
  const shown = new Map(); // message id -> the message its bubble shows

  function statusMark(message) {
    const { status } = message;
    const why = message.error && (i18n.has(`send.error.${message.error}`) ? t(`send.error.${message.error}`) : message.error);
    const label = status === 'failed' && why ? t('status.failedWhy', { reason: why }) : t(`status.${status}`);
    return h('span', { class: 'status', title: label },
      h('span', { 'aria-hidden': 'true' }, MARKS[status] ?? ''),
      h('span', { class: 'visually-hidden' }, label));
  }

  const nameOf = (number) => names()[number] ?? number;

  function quoteOf(message) {
    const { quote } = message;
    return h('button', {
      type: 'button', class: 'quote', dataset: { testid: 'quote', target: quote.id },
      onclick: () => scrollTo(quote.id),
    }, h('span', { class: 'quote-author' }, quote.author === app.device.account?.number ? t('message.you') : nameOf(quote.author)),
    h('span', { class: 'quote-body', dir: 'auto' }, quote.body));
  }

  // The file a message carries: a picture (its thumbnail at once, the picture once downloaded), a
  // voice note or sound to play, or any other file to download and save under its name. While it
  // uploads or downloads, a progress bar.
  function attachmentOf(message) {
    const { attachment } = message;
    const kind = attachment.contentType.startsWith('image/') ? 'image'
      : attachment.voiceNote || attachment.contentType.startsWith('audio/') ? 'audio' : 'file';
    const name = attachment.fileName ?? (attachment.voiceNote ? t('attachment.voiceNote') : t('attachment.file'));
    const progress = h('progress', { class: 'attachment-progress', max: 1, value: 0, hidden: true, dataset: { testid: 'attachment-progress' } });
    const box = h('div', { class: `attachment ${kind}`, dataset: { testid: 'attachment', kind } });
    const label = h('span', { class: 'attachment-name', dir: 'auto' }, name);
    const size = h('span', { class: 'attachment-size' }, fileSize(i18n, attachment.size));
    const show = (file) => {
      const url = URL.createObjectURL(file);
      progress.hidden = true;
      if (kind === 'image') {
        replaceChildren(box, h('img', { src: url, alt: name, dataset: { testid: 'attachment-image' } }));
      } else if (kind === 'audio') {
        replaceChildren(box, h('audio', { src: url, controls: true, preload: 'metadata', dataset: { testid: 'attachment-audio' } }),
          h('span', { class: 'attachment-size' }, attachment.duration ? clockDuration(attachment.duration) : size.textContent));
      } else {
        replaceChildren(box, h('span', { class: 'attachment-icon', 'aria-hidden': 'true' }, '\u{1F4C4}'), label, size,
          h('a', { class: 'button small', href: url, download: attachment.fileName ?? 'attachment', dataset: { testid: 'attachment-save' } },
            t('attachment.save')));
      }
    };
    const fetchFile = () => {
      progress.hidden = false;
      app.device.downloadAttachment(message.id).then(show, (error) => {
        progress.hidden = true;
        box.append(h('p', { class: 'failure', dataset: { testid: 'attachment-failed' } },
          t('attachment.failed', { reason: error?.code === 'AUTH_FAILED' ? t('attachment.corrupt') : error?.message ?? '' })));
      });
    };
    const download = h('button', {
      type: 'button', class: 'button small', dataset: { testid: 'attachment-download' },
      onclick: () => {
        download.remove();
        fetchFile();
      },
    }, t('attachment.download'));
    if (kind === 'image' && attachment.thumbnail) {
      box.append(h('img', {
        class: 'thumbnail', alt: name, dataset: { testid: 'attachment-thumbnail' },
        src: URL.createObjectURL(new Blob([attachment.thumbnail], { type: 'image/jpeg' })),
      }));
    } else {
      box.append(h('span', { class: 'attachment-icon', 'aria-hidden': 'true' }, kind === 'audio' ? '\u{1F3A4}' : '\u{1F4C4}'), label, size);
    }
    box.append(progress);
    // Sent from here, or downloaded before: on this device already.
    const here = message.outgoing || !attachment.blob;
    if (here || ((kind !== 'file') && attachment.size <= AUTO_DOWNLOAD_BYTES)) {
      app.device.downloadAttachment(message.id).then(show, () => (here ? null : box.append(download)));
    } else {
      box.append(download);
    }
    return box;
  }

  function bodyOf(message) {
    if (message.deleted) return h('p', { class: 'body deleted', dataset: { testid: 'deleted' } }, t('message.deleted'));
    if (message.unsupported) return h('p', { class: 'body unsupported', dataset: { testid: 'unsupported' } }, t('message.unsupported'));
    if (message.attachment) {
      return [attachmentOf(message), message.body === '' ? null : h('p', { class: 'body caption', dir: 'auto' }, message.body)];
    }
    const body = h('p', { class: 'body', dir: 'auto' }, message.body);
    const long = message.body.length > FOLD_CHARS || message.body.split('\n').length > FOLD_LINES;
    if (!long) return body;
    body.classList.add('folded');
    const more = h('button', {
      type: 'button', class: 'button link read-more', dataset: { testid: 'read-more' },
      onclick: () => {
        body.classList.remove('folded');
        more.remove();
      },
    }, t('message.readMore'));
    return [body, more];
  }

  function reactionsOf(message) {
    const counts = new Map();
    for (const { emoji } of Object.values(message.reactions ?? {})) counts.set(emoji, (counts.get(emoji) ?? 0) + 1);
    if (counts.size === 0) return null;
    return h('ul', { class: 'reactions', dataset: { testid: 'reactions' }, 'aria-label': t('message.reactions') },
      [...counts].map(([emoji, count]) => h('li', { class: 'reaction', dataset: { emoji } },
        h('span', { class: 'emoji' }, emoji), count > 1 ? h('span', { class: 'count' }, i18n.number(count)) : null)));
  }

  function menuOf(message) {
    const can = allowed(message);
    if (can.size === 0) return null;
    const menu = h('div', { class: 'message-menu', hidden: true, dataset: { testid: 'message-menu' } });
    const toggle = h('button', {
      type: 'button', class: 'message-actions', 'aria-label': t('message.actions'), 'aria-expanded': 'false',
      dataset: { testid: 'message-actions' },
      onclick: () => (menu.hidden ? open() : close()),
    }, '\u22EF');
    const run = (action, emoji) => () => {
      close();
      actions({ message, action, emoji });
    };
    function open() {
      const items = [];
      if (can.has('react')) {
        items.push(h('div', { class: 'quick-reactions', role: 'group', 'aria-label': t('message.react') },
          QUICK_REACTIONS.map((emoji) => h('button', {
            type: 'button', class: 'emoji-button', dataset: { testid: 'react', emoji }, onclick: run('react', emoji),
          }, emoji))));
      }
      for (const action of ['reply', 'edit', 'retry', 'delete-for-me', 'delete-for-everyone']) {
        if (!can.has(action)) continue;
        items.push(h('button', {
          type: 'button', class: 'menu-item', dataset: { testid: `action-${action}` }, onclick: run(action),
        }, t(`message.action.${action}`)));
      }
      replaceChildren(menu, items);
      menu.hidden = false;
      toggle.setAttribute('aria-expanded', 'true');
      menu.querySelector('button')?.focus();
    }
    function close() {
      menu.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
    }
    menu.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        close();
        toggle.focus();
      }
    });
    return [toggle, menu];
  }

  function bubble(message) {
    const li = h('li', {
      class: `bubble ${message.outgoing ? 'out' : 'in'}${message.deleted ? ' deleted' : ''}`,
      dataset: { testid: 'message', id: message.id, status: message.outgoing ? message.status : undefined },
    },
    message.quote && !message.deleted ? quoteOf(message) : null,
    bodyOf(message),
    h('p', { class: 'meta' },
      message.edited && !message.deleted ? h('span', { class: 'edited', dataset: { testid: 'edited' } }, t('message.edited')) : null,
      h('time', { datetime: new Date(message.timestamp).toISOString() }, clockTime(i18n, message.timestamp)),
      message.outgoing ? statusMark(message) : null),
    message.status === 'failed' && message.outgoing ? h('p', { class: 'failure', dataset: { testid: 'failure' } },
      statusMark(message).title) : null,
    reactionsOf(message),
    menuOf(message));
    return li;
  }

  function scrollTo(id) {
    const li = bubbles.get(id);
    if (!li) return;
    li.scrollIntoView({ block: 'center' });
    li.classList.add('highlight');
    setTimeout(() => li.classList.remove('highlight'), 1500);
  }

  // A day's heading before its first message.
  function placeDays() {
    for (const day of el.querySelectorAll('.day')) day.remove();
    let last = null;
    for (const li of el.querySelectorAll('.bubble')) {
      const message = shown.get(li.dataset.id);
      const heading = dayHeading(i18n, message.timestamp);
      if (heading !== last) li.before(h('li', { class: 'day', role: 'separator' }, heading));
      last = heading;
    }
  }

  const nearBottom = () => el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  // A bubble is drawn again only when what it shows changed: the reader's place is kept.
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  return {
    el,
    scrollTo,
    // A file's upload or download: the bar of its bubble follows.
    progress(id, done, total) {
      const bar = bubbles.get(id)?.querySelector('.attachment-progress');
      if (!bar) return;
      bar.hidden = done >= total;
      bar.value = total > 0 ? done / total : 0;
    },
    // Shows `messages` (oldest first), keeping the bubbles that did not change.
    show(messages) {
      const follow = nearBottom() || bubbles.size === 0;
      const ids = new Set();
      let previous = null;
      for (const message of [...messages].sort((a, b) => a.timestamp - b.timestamp)) {
        ids.add(message.id);
        let li = bubbles.get(message.id);
        if (!li || !same(shown.get(message.id), message)) {
          const fresh = bubble(message);
          if (li) li.replaceWith(fresh);
          li = fresh;
          bubbles.set(message.id, li);
          shown.set(message.id, message);
        }
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
          shown.delete(id);
        }
      }
      placeDays();
      el.querySelector('.empty')?.remove();
      if (bubbles.size === 0) el.append(h('li', { class: 'empty' }, t('conversation.empty')));
      if (follow) el.scrollTop = el.scrollHeight;
    },
    // Updates the bubble in place (the same element: a reader's place and focus stay). Returns
    // false when the message is not shown (the caller reloads instead).
    setStatus(id, status, error) {
      const held = shown.get(id);
      const li = bubbles.get(id);
      if (!held || !li) return false;
      const message = { ...held, status, ...(error ? { error } : {}) };
      shown.set(id, message);
      li.dataset.status = status;
      li.querySelector('.status')?.replaceWith(statusMark(message));
      li.querySelector('.failure')?.remove();
      if (status === 'failed') li.querySelector('.meta').after(h('p', { class: 'failure', dataset: { testid: 'failure' } }, statusMark(message).title));
      li.querySelector('.message-actions')?.remove();
      li.querySelector('.message-menu')?.remove();
      const menu = menuOf(message);
      if (menu) li.append(...menu);
      return true;
    },
  };
}
