// Linked devices, notices of devices joining and leaving, logging out, and being logged out.
import { deepEqual, equal, ok } from '../assert.js';
import { linkedAlice, ALICE } from './fake-device.js';
import { withPage } from './ui.js';

const DAY = 24 * 3600 * 1000;

export const tests = [
  ['the linked devices: names, platforms, when linked and last active, this device marked', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      page.one('nav-devices').click();
      const list = await page.shown('device-list');
      const devices = await page.until(() => (page.all('device', list).length === 2 ? page.all('device', list) : null), 'two devices');
      const [phone, browser] = devices;
      equal(phone.dataset.deviceId, '1');
      ok(page.text(phone).includes('Pixel 8') && page.text(phone).includes(page.strings['devices.primary']));
      ok(page.text(phone).includes('android'));
      ok(page.text(phone).includes('Linked ') && page.text(phone).includes('Last active '));
      ok(!page.one('this-device', phone));
      equal(browser.dataset.self, 'true');
      equal(page.text(page.one('this-device', browser)), page.strings['devices.thisDevice']);
      equal(page.one('nav-devices').getAttribute('aria-pressed'), 'true');
    });
  }],

  ['a device linked or removed: a notice on any screen, and the list follows', async (ctx) => {
    const device = linkedAlice();
    const now = Date.now();
    await withPage(ctx, device, {}, async (page) => {
      await page.shown('chat-list');
      await page.settle();
      const [phone, self] = await device.devices();
      const tablet = { deviceId: 3, name: 'Tablet', platform: 'web', createdAt: now, lastSeenAt: now, self: false };
      device.setDevices([phone, self, tablet]);
      const notice = await page.shown('notice');
      equal(page.text(notice.querySelector('p')), 'A new device was linked to your account: Tablet');

      page.one('nav-devices').click();
      await page.until(() => page.all('device').length === 3, 'three devices');
      device.setDevices([phone, self]);
      await page.until(() => page.all('device').length === 2, 'two devices again');
      await page.until(() => page.all('notice').some((n) => page.text(n).includes('was removed from your account: Tablet')),
        'the removal notice');
      const dismiss = page.all('notice')[0].querySelector('button');
      equal(dismiss.getAttribute('aria-label'), page.strings['notice.dismiss']);
      dismiss.click();
      equal(page.all('notice').length, 1);
    });
  }],

  ['a freshly linked browser does not announce itself joining the list', async (ctx) => {
    const device = linkedAlice();
    const [phone, self] = await device.devices();
    device.setDevices([phone]);
    await withPage(ctx, device, {}, async (page) => {
      await page.shown('chat-list');
      await page.settle();
      device.setDevices([phone, self]);
      const tablet = { deviceId: 3, name: 'Tablet', platform: 'web', createdAt: 3, lastSeenAt: 3, self: false };
      device.setDevices([phone, self, tablet]);
      await page.shown('notice');
      await page.settle();
      deepEqual(page.all('notice').map((n) => page.text(n.querySelector('p'))), ['A new device was linked to your account: Tablet']);
    });
  }],

  ['a device id given again to a new device still counts as a new device', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await page.shown('chat-list');
      await page.settle();
      const [phone, self] = await device.devices();
      device.setDevices([phone, self, { deviceId: 3, name: 'Old', createdAt: 1, lastSeenAt: 1, self: false }]);
      await page.shown('notice');
      device.setDevices([phone, self, { deviceId: 3, name: 'New', createdAt: 2 * DAY, lastSeenAt: 2 * DAY, self: false }]);
      await page.until(() => page.all('notice').length === 3, 'linked and removed notices');
    });
  }],

  ['Settings → Log out asks first: Escape or Cancel keep the device, Log out leaves for the link screen', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      page.one('nav-settings').click();
      const logout = await page.shown('logout');
      equal(logout.tagName, 'BUTTON');
      ok(page.text(page.one('main')).includes(ALICE.number));

      logout.focus();
      logout.click();
      let dialog = await page.shown('logout-dialog');
      ok(dialog.open);
      equal(page.doc.activeElement, page.one('logout-cancel'), 'the safe choice has the focus');
      await ctx.press('Escape');
      await page.until(() => !page.one('logout-dialog'), 'Escape to close the dialog');
      equal(page.doc.activeElement, logout);

      logout.click();
      (await page.shown('logout-cancel')).click();
      await page.until(() => !page.one('logout-dialog'), 'Cancel to close the dialog');
      equal(device.called('logout').length, 0);
      equal(page.screen(), 'main');

      logout.click();
      dialog = await page.shown('logout-dialog');
      ok(page.text(dialog).includes(page.strings['logout.body']));
      page.one('logout-confirm').click();
      await page.until(() => device.called('logout').length === 1, 'the log-out');
      await page.until(() => page.screen() === 'link', 'the link screen');
      await page.until(() => device.called('startQrLink').length === 1, 'a new QR code');
      ok(!page.visible(page.one('connection-status')), 'no connection to show');
    });
  }],

  ['removed by the phone: the page says why, and links again on request', async (ctx) => {
    const device = linkedAlice();
    await withPage(ctx, device, {}, async (page) => {
      await page.shown('main');
      device.loggedOut('removed');
      const screen = await page.shown('logged-out');
      equal(page.text(page.one('logged-out-reason')), page.strings['loggedOut.reason.removed']);
      equal(page.doc.activeElement, screen.querySelector('h1'));
      page.one('relink').click();
      await page.until(() => page.screen() === 'link', 'the link screen');
      await page.until(() => device.called('startQrLink').length === 1, 'a QR code');
    });
  }],

  ['every reason the relay gives has its own words; an unknown one gets general words', async (ctx) => {
    for (const reason of ['removed', 'logged-out', 'reregistered', 'primary-inactive', 'inactive', 'SOMETHING_ELSE']) {
      const device = linkedAlice();
      device.loggedOut(reason);
      await withPage(ctx, device, {}, async (page) => {
        const key = page.strings[`loggedOut.reason.${reason}`] ? `loggedOut.reason.${reason}` : 'loggedOut.reason.other';
        equal(page.text(await page.shown('logged-out-reason')), page.strings[key], reason);
      });
    }
  }],
];
