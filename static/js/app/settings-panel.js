// Settings: this device's account and name, the language, and on a linked device Account → Log
// out, which asks first: logging out takes this browser out of the account and deletes what it
// keeps. The phone does not log out: its number moves by registering it on another phone.
import { MAX_NAME_LENGTH } from '../client/index.js';
import { h, replaceChildren } from './dom.js';
import { openDialog } from './dialog.js';
import { languageLinks } from './header.js';
import { failureReason } from './format.js';

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
        h('dt', {}, t('settings.deviceName')), h('dd', {}, renameControl(app, account.name ?? '')),
        h('dt', {}, t('settings.deviceId')), h('dd', {}, account.deviceId === undefined ? '' : i18n.number(account.deviceId))),
      h('p', { class: 'hint', dataset: { testid: 'settings-role' } }, t(account.primary ? 'settings.phoneHint' : 'settings.logoutHint')),
      logout),
    h('section', { 'aria-labelledby': 'settings-language' },
      h('h2', { id: 'settings-language' }, t('lang.label')),
      h('p', { class: 'languages-inline' }, languageLinks(i18n, false))));
  return { el };
}

// This device's name, and a way to change it: what every device of the account lists it as.
function renameControl(app, current) {
  const { device, t } = app;
  const el = h('div', { class: 'rename' });
  function show(name) {
    const edit = h('button', {
      type: 'button', class: 'button link', dataset: { testid: 'rename-device' }, onclick: () => editing(name),
    }, t('settings.rename'));
    replaceChildren(el, h('span', { dataset: { testid: 'device-name-shown' } }, name), ' ', edit);
  }
  function editing(name) {
    const input = h('input', {
      type: 'text', maxLength: MAX_NAME_LENGTH, value: name, 'aria-label': t('settings.deviceName'), dataset: { testid: 'rename-input' },
    });
    const error = h('p', { class: 'field-error', role: 'alert' });
    const save = h('button', { type: 'submit', class: 'button primary small', dataset: { testid: 'rename-save' } }, t('settings.renameSave'));
    replaceChildren(el, h('form', {
      class: 'rename-form', novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        if (input.value.trim() === '') {
          error.textContent = t('settings.renameEmpty');
          return;
        }
        save.disabled = true;
        try {
          show(await device.renameDevice(input.value));
        } catch (err) {
          error.textContent = t('settings.renameFailed', { reason: failureReason(app.i18n, err) });
          save.disabled = false;
        }
      },
    }, input, save, h('button', { type: 'button', class: 'button link', onclick: () => show(name) }, t('settings.renameCancel')), error));
    input.focus();
  }
  show(current);
  return el;
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
    app.notices.show(t('logout.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' });
  }
}
