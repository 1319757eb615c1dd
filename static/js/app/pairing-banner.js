// On the phone: a device that asked to link by this account's number waits for its code to be
// typed here. The banner says so, whatever panel is open, for as long as a request waits, and
// opens "Link a device" at the code.
import { h } from './dom.js';
import { openLinkDeviceDialog } from './link-device-dialog.js';

export function pairingBanner(app, scope) {
  const { device, t } = app;
  const pending = new Map(); // pairingId -> expiresAt (ms) or null
  const open = h('button', {
    type: 'button', class: 'button primary small', dataset: { testid: 'pairing-open' },
    onclick: () => openLinkDeviceDialog(app, { mode: 'code', opener: open }),
  }, t('pairing.enterCode'));
  const el = h('div', { class: 'pairing-banner', role: 'status', hidden: true, dataset: { testid: 'pairing-banner' } },
    h('p', {}, t('pairing.waiting')), open);

  function update() {
    const now = Date.now();
    for (const [id, expiresAt] of pending) if (expiresAt !== null && expiresAt <= now) pending.delete(id);
    el.hidden = pending.size === 0;
  }

  async function load() {
    try {
      for (const { pairingId, expiresAt } of await device.pairingRequests()) pending.set(pairingId, expiresAt);
    } catch {
      return; // offline: the requests come as events once connected
    }
    update();
  }

  scope.listen(device, 'pairing-request', (event) => {
    pending.set(event.detail.pairingId, event.detail.expiresAt ?? null);
    update();
  });
  scope.listen(device, 'pairing-ended', (event) => {
    pending.delete(event.detail.pairingId);
    update();
  });
  // Linked by its code: the request is over.
  scope.listen(device, 'device-linked', () => {
    pending.clear();
    update();
  });
  scope.listen(device, 'connection', (event) => {
    if (event.detail?.online) load();
  });
  scope.every(5_000, update);
  if (device.online) load();
  return el;
}
