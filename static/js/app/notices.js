// Short notices in a corner (a device was linked, a message could not be sent). They go away by
// themselves, or with their close button; screen readers announce them as they come.
import { h } from './dom.js';

const SHOWN_MS = 10_000;

export function createNotices(i18n) {
  const el = h('div', { class: 'notices', 'aria-live': 'polite', dataset: { testid: 'notices' } });
  return {
    el,
    show(text, { tone = 'info' } = {}) {
      const notice = h('div', { class: `notice notice-${tone}`, dataset: { testid: 'notice' } },
        h('p', {}, text),
        h('button', {
          type: 'button', class: 'notice-close', 'aria-label': i18n.t('notice.dismiss'),
          onclick: () => notice.remove(),
        }, '\u00d7'));
      el.append(notice);
      setTimeout(() => notice.remove(), SHOWN_MS);
      return notice;
    },
  };
}
