// Settings: the name this account shows to people, this device's account and name, read
// receipts, notifications, the language, and on a linked device Account → Log out, which asks
// first: logging out takes this browser out of the account and deletes what it keeps. The phone
// does not log out: its number moves by registering it on another phone.
import { MAX_NAME_LENGTH } from '../client/index.js';
import { h, replaceChildren } from './dom.js';
import { openDialog } from './dialog.js';
import { languageLinks } from './header.js';
import { failureReason } from './format.js';

export function settingsPanel(app, scope) {
  const { device, i18n, t } = app;
  const account = device.account ?? {};
  const logout = account.primary ? null : h('button', {
    type: 'button', class: 'button danger', dataset: { testid: 'logout' }, onclick: () => confirmLogout(app, logout),
  }, t('settings.logout'));
  const el = h('div', { class: 'settings' },
    profileSection(app),
    h('section', { 'aria-labelledby': 'settings-account' },
      h('h2', { id: 'settings-account' }, t('settings.account')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('settings.number')), h('dd', {}, account.number ?? ''),
        h('dt', {}, t('settings.deviceName')), h('dd', {}, renameControl(app, account.name ?? '')),
        h('dt', {}, t('settings.deviceId')), h('dd', {}, account.deviceId === undefined ? '' : i18n.number(account.deviceId))),
      h('p', { class: 'hint', dataset: { testid: 'settings-role' } }, t(account.primary ? 'settings.phoneHint' : 'settings.logoutHint')),
      logout),
    privacySection(app, scope),
    notificationsSection(app),
    h('section', { 'aria-labelledby': 'settings-language' },
      h('h2', { id: 'settings-language' }, t('lang.label')),
      h('p', { class: 'languages-inline' }, languageLinks(i18n, false))));
  return { el };
}

// The name this account shows to the people it talks to (end-to-end: the relay never sees it).
function profileSection(app) {
  const { device, t } = app;
  const input = h('input', {
    id: 'profile-name', type: 'text', maxLength: 64, autocomplete: 'name', dataset: { testid: 'profile-name' },
    'aria-describedby': 'profile-hint',
  });
  const status = h('p', { class: 'field-error', role: 'alert', dataset: { testid: 'profile-error' } });
  const save = h('button', { type: 'submit', class: 'button primary small', dataset: { testid: 'profile-save' } }, t('settings.profileSave'));
  Promise.resolve(device.profileName?.()).then((name) => {
    if (name && !input.value) input.value = name;
  }).catch(() => {});
  return h('section', { 'aria-labelledby': 'settings-profile' },
    h('h2', { id: 'settings-profile' }, t('settings.profile')),
    h('form', {
      class: 'profile-form', novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        status.textContent = '';
        if (input.value.trim() === '') {
          status.textContent = t('settings.renameEmpty');
          return;
        }
        save.disabled = true;
        try {
          await device.setProfileName(input.value);
          app.notices.show(t('settings.profileSaved'));
        } catch (err) {
          status.textContent = t('notice.failed', { reason: failureReason(app.i18n, err) });
        } finally {
          save.disabled = false;
        }
      },
    }, h('label', { for: 'profile-name', class: 'visually-hidden' }, t('settings.profile')), input, save, status),
    h('p', { id: 'profile-hint', class: 'hint' }, t('settings.profileHint')));
}

// Read receipts, for the whole account: off, this account neither sends nor shows them.
function privacySection(app, scope) {
  const { device, t } = app;
  const box = h('input', { id: 'read-receipts', type: 'checkbox', dataset: { testid: 'read-receipts' } });
  const load = () => Promise.resolve(device.settings?.()).then((settings) => {
    box.checked = settings?.readReceipts !== false;
  }).catch(() => {});
  box.addEventListener('change', async () => {
    box.disabled = true;
    try {
      await device.setReadReceipts(box.checked);
    } catch (err) {
      app.notices.show(t('notice.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' });
      await load();
    } finally {
      box.disabled = false;
    }
  });
  scope?.listen(device, 'settings', load);
  load();
  return h('section', { 'aria-labelledby': 'settings-privacy' },
    h('h2', { id: 'settings-privacy' }, t('settings.privacy')),
    h('p', { class: 'check' }, box, h('label', { for: 'read-receipts' }, t('settings.readReceipts'))),
    h('p', { class: 'hint' }, t('settings.readReceiptsHint')));
}

// Desktop notifications: asked for on this click, never on load.
function notificationsSection(app) {
  const { t } = app;
  const state = h('p', { class: 'hint', dataset: { testid: 'notifications-state' } });
  const button = h('button', { type: 'button', class: 'button', dataset: { testid: 'notifications-toggle' } });
  function show() {
    const now = app.alerts?.state ?? 'unsupported';
    state.dataset.state = now;
    state.textContent = t(`settings.notifications.${now}`);
    button.hidden = now === 'unsupported' || now === 'denied';
    button.textContent = t(now === 'on' ? 'settings.notifications.turnOff' : 'settings.notifications.turnOn');
  }
  button.addEventListener('click', async () => {
    if (app.alerts.state === 'on') app.alerts.disable();
    else await app.alerts.enable();
    show();
  });
  show();
  return h('section', { 'aria-labelledby': 'settings-notifications' },
    h('h2', { id: 'settings-notifications' }, t('settings.notifications')), state, button);
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
