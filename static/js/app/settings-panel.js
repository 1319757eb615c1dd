// Settings: this device's account and name, the language, and on a linked device Account → Log
// out, which asks first: logging out takes this browser out of the account and deletes what it
// keeps. The phone does not log out: its number moves by registering it on another phone.
import { h } from './dom.js';
import { openDialog } from './dialog.js';
import { languageLinks } from './header.js';

export function settingsPanel(app) {
  const { device, i18n, t } = app;
  const account = device.account ?? {};
  const logout = account.primary ? null : h('button', {
    type: 'button', class: 'button danger', dataset: { testid: 'logout' }, onclick: () => confirmLogout(app, logout),
  }, t('settings.logout'));
  const el = h('div', { class: 'settings' },
    h('section', { 'aria-labelledby': 'settings-account' },
      h('h2', { id: 'settings-account' }, t('settings.account')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('settings.number')), h('dd', {}, account.number ?? ''),
        h('dt', {}, t('settings.deviceName')), h('dd', {}, account.name ?? ''),
        h('dt', {}, t('settings.deviceId')), h('dd', {}, account.deviceId === undefined ? '' : i18n.number(account.deviceId))),
      h('p', { class: 'hint', dataset: { testid: 'settings-role' } }, t(account.primary ? 'settings.phoneHint' : 'settings.logoutHint')),
      logout),
    h('section', { 'aria-labelledby': 'settings-language' },
      h('h2', { id: 'settings-language' }, t('lang.label')),
      h('p', { class: 'languages-inline' }, languageLinks(i18n, false))));
  return { el };
}

async function confirmLogout(app, opener) {
  const { t } = app;
  const choice = await openDialog(app, {
    title: t('logout.title'),
    testid: 'logout-dialog',
    opener,
    body: h('p', {}, t('logout.body')),
    actions: [
      { label: t('logout.cancel'), value: 'cancel', testid: 'logout-cancel' },
      { label: t('logout.confirm'), value: 'logout', testid: 'logout-confirm', look: 'danger' },
    ],
  });
  if (choice !== 'logout') return;
  try {
    await app.logout();
  } catch (err) {
    app.notices.show(t('logout.failed', { reason: err?.message ?? String(err) }), { tone: 'error' });
  }
}
