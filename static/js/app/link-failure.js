// Why a link attempt ended, said to the user, with the one button that helps.
import { h } from './dom.js';

// The client core names the reason with the relay's words (docs/linking.md) or its own
// (TIMEOUT, UNREACHABLE, CONNECTION_LOST); a rejected call, with its error's code.
export function reasonOf(err) {
  return String(err?.code ?? err?.reason ?? err?.message ?? 'ERROR');
}

export function failureText(i18n, reason) {
  const key = `link.failed.${reason}`;
  return i18n.has(key) ? i18n.t(key) : i18n.t('link.failed.other', { reason });
}

// With `retry`, a button to try again. TIMEOUT: the relay closed this tab's linking socket; the
// user reloads the code to try again.
export function failureView(i18n, reason, retry) {
  const label = i18n.t(reason === 'TIMEOUT' ? 'link.reload' : 'link.tryAgain');
  return h('div', { class: 'link-failure', role: 'alert', dataset: { testid: 'link-error', reason } },
    h('p', {}, failureText(i18n, reason)),
    retry ? h('button', { type: 'button', class: 'button primary', dataset: { testid: 'link-retry' }, onclick: retry }, label)
      : null);
}
