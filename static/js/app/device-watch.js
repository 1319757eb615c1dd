// Tells the user when a device joins or leaves the account, whatever screen they are on: a device
// linked without the owner knowing is how someone else would read their chats.
import { diffDevices } from './device-diff.js';

export function watchDevices(app, scope) {
  const { device, t } = app;
  let known = null;
  let active = true;
  scope.onDispose(() => {
    active = false;
  });

  async function check() {
    let devices;
    try {
      devices = await device.devices();
    } catch {
      return; // the next change compares against the last list that loaded
    }
    if (!active) return;
    if (known) {
      const { added, removed } = diffDevices(known, devices);
      const name = (device) => device.name || t('devices.unnamed');
      // This device joining its own account's list (the phone signs it in just after linking) is no news.
      for (const device of added.filter((d) => !d.self)) app.notices.show(t('notice.deviceLinked', { name: name(device) }));
      for (const device of removed) app.notices.show(t('notice.deviceRemoved', { name: name(device) }));
    }
    known = devices;
  }

  scope.listen(device, 'devices-changed', check);
  check();
}
