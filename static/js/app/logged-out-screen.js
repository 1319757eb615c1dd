// A browser that is no longer in its account: why (in the relay's words, docs/relay-api.md), and
// the way back: linking again, for a companion; for a phone whose number moved to another phone,
// the first screen.
import { h } from './dom.js';

export function reasonKey(i18n, reason) {
  const key = `loggedOut.reason.${String(reason ?? '').toLowerCase().replaceAll('_', '-')}`;
  return i18n.has(key) ? key : 'loggedOut.reason.other';
}

export function renderLoggedOutScreen(app) {
  const { t } = app;
  if (app.device.loggedOutPrimary) {
    return h('section', { class: 'card message-card', 'aria-labelledby': 'logged-out-title', dataset: { testid: 'logged-out' } },
      h('h1', { id: 'logged-out-title', tabindex: -1 }, t('loggedOut.phone.title')),
      h('p', { dataset: { testid: 'logged-out-reason', reason: String(app.loggedOutReason ?? '') } },
        t(app.loggedOutReason === 'reregistered' ? 'loggedOut.phone.reregistered' : reasonKey(app.i18n, app.loggedOutReason))),
      h('button', { type: 'button', class: 'button primary', dataset: { testid: 'relink' }, onclick: () => app.relink({ choice: null }) },
        t('loggedOut.phone.startAgain')));
  }
  return h('section', { class: 'card message-card', 'aria-labelledby': 'logged-out-title', dataset: { testid: 'logged-out' } },
    h('h1', { id: 'logged-out-title', tabindex: -1 }, t('loggedOut.title')),
    h('p', { dataset: { testid: 'logged-out-reason', reason: String(app.loggedOutReason ?? '') } },
      t(reasonKey(app.i18n, app.loggedOutReason))),
    h('button', { type: 'button', class: 'button primary', dataset: { testid: 'relink' }, onclick: () => app.relink() },
      t('loggedOut.relink')));
}
