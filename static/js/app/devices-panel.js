// The account's devices as the relay lists them: the phone and the linked ones, with this one
// marked. On the phone, this is where devices are linked ("Link a device") and removed; on a
// linked device, a device the owner does not recognise is one to remove on the phone.
import { h, replaceChildren } from './dom.js';
import { dateTime, failureReason } from './format.js';
import { openDialog } from './dialog.js';
import { openLinkDeviceDialog } from './link-device-dialog.js';

export function devicesPanel(app, scope) {
  const { device, i18n, t } = app;
  const primary = Boolean(device.account?.primary);
  const list = h('ul', { class: 'device-list', dataset: { testid: 'device-list' } });
  const linkButton = primary ? h('button', {
    type: 'button', class: 'button primary', dataset: { testid: 'link-device' },
    onclick: () => openLinkDeviceDialog(app, { opener: linkButton }),
  }, t('devices.link')) : null;
  const el = h('div', { class: 'devices' },
    h('p', { class: 'hint' }, t(primary ? 'devices.introPhone' : 'devices.intro')),
    linkButton,
    list);
  let loads = 0;

  async function refresh() {
    const mine = ++loads;
    let devices;
    try {
      devices = await device.devices();
    } catch (err) {
      app.notices.show(t('notice.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' });
      return;
    }
    if (mine !== loads) return;
    replaceChildren(list, [...devices].sort((a, b) => a.deviceId - b.deviceId).map(item));
  }

  function item(entry) {
    const remove = primary && !entry.self ? h('button', {
      type: 'button', class: 'button danger small', dataset: { testid: 'remove-device' },
      'aria-label': t('devices.removeNamed', { name: entry.name || t('devices.unnamed') }),
      onclick: () => confirmRemove(app, entry, remove),
    }, t('devices.remove')) : null;
    return h('li', { class: 'device', dataset: { testid: 'device', deviceId: entry.deviceId, self: entry.self } },
      h('div', { class: 'device-text' },
        h('p', { class: 'device-name' }, entry.name || t('devices.unnamed'),
          entry.deviceId === 1 ? h('span', { class: 'tag' }, t('devices.primary')) : null,
          entry.self ? h('span', { class: 'tag self', dataset: { testid: 'this-device' } }, t('devices.thisDevice')) : null),
        h('p', { class: 'device-facts' },
          entry.platform ? h('span', {}, entry.platform) : null,
          entry.createdAt ? h('span', {}, t('devices.linkedAt', { date: dateTime(i18n, entry.createdAt) })) : null,
          entry.lastSeenAt ? h('span', {}, t('devices.lastActive', { date: dateTime(i18n, entry.lastSeenAt) })) : null)),
      remove);
  }

  scope.listen(device, 'devices-changed', refresh);
  refresh();
  return { el, refresh };
}

// Removing a device logs it out and deletes what it keeps: asked first.
async function confirmRemove(app, entry, opener) {
  const { t } = app;
  const name = entry.name || t('devices.unnamed');
  const choice = await openDialog(app, {
    title: t('removeDevice.title', { name }),
    testid: 'remove-dialog',
    opener,
    body: h('p', {}, t('removeDevice.body')),
    actions: [
      { label: t('removeDevice.cancel'), value: 'cancel', testid: 'remove-cancel' },
      { label: t('removeDevice.confirm'), value: 'remove', testid: 'remove-confirm', look: 'danger' },
    ],
  });
  if (choice !== 'remove') return;
  try {
    await app.device.removeDevice(entry.deviceId);
  } catch (err) {
    app.notices.show(t('removeDevice.failed', { reason: failureReason(app.i18n, err) }), { tone: 'error' });
  }
}
