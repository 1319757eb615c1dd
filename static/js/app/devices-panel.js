// The account's devices as the relay lists them: the phone and the linked ones, with this one
// marked. A device the owner does not recognise is one to remove on the phone.
import { h, replaceChildren } from './dom.js';
import { dateTime } from './format.js';

export function devicesPanel(app, scope) {
  const { device, i18n, t } = app;
  const list = h('ul', { class: 'device-list', dataset: { testid: 'device-list' } });
  const el = h('div', { class: 'devices' }, h('p', { class: 'hint' }, t('devices.intro')), list);
  let loads = 0;

  async function refresh() {
    const mine = ++loads;
    let devices;
    try {
      devices = await device.devices();
    } catch (err) {
      app.notices.show(t('notice.failed', { reason: err?.message ?? String(err) }), { tone: 'error' });
      return;
    }
    if (mine !== loads) return;
    replaceChildren(list, [...devices].sort((a, b) => a.deviceId - b.deviceId).map(item));
  }

  function item(device) {
    return h('li', { class: 'device', dataset: { testid: 'device', deviceId: device.deviceId, self: device.self } },
      h('p', { class: 'device-name' }, device.name || t('devices.unnamed'),
        device.deviceId === 1 ? h('span', { class: 'tag' }, t('devices.primary')) : null,
        device.self ? h('span', { class: 'tag self', dataset: { testid: 'this-device' } }, t('devices.thisDevice')) : null),
      h('p', { class: 'device-facts' },
        device.platform ? h('span', {}, device.platform) : null,
        device.createdAt ? h('span', {}, t('devices.linkedAt', { date: dateTime(i18n, device.createdAt) })) : null,
        device.lastSeenAt ? h('span', {}, t('devices.lastActive', { date: dateTime(i18n, device.lastSeenAt) })) : null));
  }

  scope.listen(device, 'devices-changed', refresh);
  refresh();
  return { el, refresh };
}
