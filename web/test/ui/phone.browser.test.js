// The page as an account's phone: the first screen's choice, registering a number, and on the
// phone linking devices (camera, a pasted link or a typed code), removing them, and what it says
// when its number moves to another phone.
import { deepEqual, equal, ok } from '../assert.js';
import { ALICE, FakeDevice, alicesPhone } from './fake-device.js';
import { withPage } from './ui.js';

const LINK = 'quintet://link?v=1&a=AAAAAAAAAAAAAAAAAAAAAA&k=BBBB&i=CCCC&n=RGVzaw';

export const tests = [
  ['the first screen asks what this device is for, in each language, and both ways lead back to it', async (ctx) => {
    for (const lang of ['en', 'bn']) {
      const device = new FakeDevice();
      await withPage(ctx, device, { lang, width: 360, height: 740 }, async (page) => {
        equal(page.screen(), 'welcome');
        equal(page.text(page.doc.querySelector('h1')), page.strings['welcome.title']);
        ok(page.text(page.one('choose-phone')).includes(page.strings['welcome.phone.title']), `${lang}: the phone choice`);
        ok(page.text(page.one('choose-link')).includes(page.strings['welcome.link.title']), `${lang}: the link choice`);
        equal(device.calls.length, 0, `${lang}: nothing starts before the choice`);

        page.one('choose-phone').click();
        await page.shown('register-number');
        equal(page.screen(), 'register');
        page.one('register-back').click();
        await page.shown('choose-link');

        page.one('choose-link').click();
        await page.shown('link-switch');
        equal(page.screen(), 'link');
        equal(device.called('startQrLink').length, 1, `${lang}: linking starts once chosen`);
        page.one('link-back').click();
        await page.shown('choose-phone');
        equal(device.state, 'unlinked', `${lang}: going back ends the link attempt`);
      });
    }
  }],

  ['registering: a bad number is caught, the code is asked for, a wrong code says how many tries are left', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'phone' }, async (page) => {
      ok(page.visible(page.one('register-warning')), 'what registering does to an existing account is said first');
      page.type(await page.shown('register-number'), '01711');
      page.one('register-send').click();
      equal(page.text(page.one('register-error')), page.strings['number.invalid']);
      equal(device.called('requestRegistrationCode').length, 0);

      device.refuse('requestRegistrationCode', { code: 'RATE_LIMITED', details: { retryAfterSeconds: 90 } });
      page.type(page.one('register-number'), '+880 1711-000001');
      page.one('register-send').click();
      await page.until(() => page.text(page.one('register-error')) !== '', 'the refusal');
      ok(page.text(page.one('register-error')).startsWith(page.strings['register.failed.RATE_LIMITED'].split('{')[0]));

      page.one('register-send').click();
      const code = await page.shown('register-code');
      deepEqual(device.called('requestRegistrationCode').at(-1), [ALICE.number]);
      equal(page.text(page.one('register-sent')), page.strings['register.sent.log'].replace('{number}', ALICE.number));

      device.refuse('register', { code: 'WRONG_CODE', details: { attemptsLeft: 4 } });
      page.type(code, '111111');
      page.one('register-submit').click();
      await page.until(() => page.text(page.one('register-error')) !== '', 'the wrong code');
      equal(page.text(page.one('register-error')), page.strings['register.failed.WRONG_CODE'].replace('{count}', '4'));
      equal(page.screen(), 'register');

      page.type(code, '123456');
      page.one('register-submit').click();
      await page.shown('main');
      equal(device.called('register').at(-1)[0].code, '123456');
      equal(page.text(page.one('account-number')), ALICE.number);
      page.one('nav-settings').click();
      await page.shown('settings-role');
      equal(page.text(page.one('settings-role')), page.strings['settings.phoneHint']);
      equal(page.one('logout'), null, 'the phone does not log out');

      page.one('rename-device').click();
      page.type(await page.shown('rename-input'), '   ');
      page.one('rename-save').click();
      await page.until(() => page.doc.querySelector('.rename-form .field-error')?.textContent, 'the empty name refused');
      equal(device.called('renameDevice').length, 0);
      device.refuse('renameDevice', { code: 'RATE_LIMITED', message: 'too many changes' });
      page.type(page.one('rename-input'), 'Alice\'s phone');
      page.one('rename-save').click();
      await page.until(() => page.doc.querySelector('.rename-form .field-error')?.textContent.includes('too many changes'), 'the refusal');
      page.one('rename-save').click();
      await page.shown('device-name-shown');
      equal(page.text(page.one('device-name-shown')), 'Alice\'s phone');
      equal(page.text(page.one('account-name')), 'Alice\'s phone', 'the side bar follows');
    });
  }],

  ['the phone removes a device after asking, and keeps it when the answer is no', async (ctx) => {
    const device = alicesPhone();
    await withPage(ctx, device, {}, async (page) => {
      page.one('nav-devices').click();
      await page.until(() => page.all('device').length === 2, 'the devices');
      equal(page.all('remove-device').length, 1, 'only the linked device can be removed, not the phone itself');
      page.one('remove-device').click();
      (await page.shown('remove-cancel')).click();
      await page.until(() => !page.one('remove-dialog'), 'the dialog to close');
      equal(device.called('removeDevice').length, 0);

      page.one('remove-device').click();
      (await page.shown('remove-confirm')).click();
      await page.until(() => page.all('device').length === 1, 'the list without the laptop');
      deepEqual(device.called('removeDevice'), [[2]]);
      await page.until(() => page.all('notice').some((n) => page.text(n).includes('Work laptop')), 'a notice naming it');
    });
  }],

  ['linking from the phone: a pasted link that is none is explained, a real one links with the history\'s progress', async (ctx) => {
    const device = alicesPhone();
    await withPage(ctx, device, { width: 360, height: 740 }, async (page) => {
      page.one('nav-devices').click();
      (await page.shown('link-device')).click();
      (await page.shown('link-device-paste')).click();
      device.refuse('linkDevice', { code: 'INVALID_LINK' });
      page.type(await page.shown('link-device-uri'), 'https://example.com');
      page.one('link-device-submit').click();
      await page.until(() => page.text(page.one('link-device-error')) !== '', 'the refusal');
      equal(page.text(page.one('link-device-error')), page.strings['linkDevice.failed.INVALID_LINK']);

      page.type(page.one('link-device-uri'), LINK);
      page.one('link-device-submit').click();
      await page.until(() => device.called('linkDevice').length === 2, 'the second try');
      equal(device.called('linkDevice')[1][0], LINK);
      device.linkDone({ deviceId: 3, name: 'Tablet', parts: 2 });
      const done = await page.shown('link-device-done');
      equal(page.text(done), page.strings['linkDevice.done'].replace('{name}', 'Tablet'));
      page.one('link-device-close').click();
      await page.until(() => !page.one('link-device-dialog'), 'the dialog to close');
    });
  }],

  ['a device that asks by number is announced on the phone, and its code is typed there', async (ctx) => {
    const device = alicesPhone();
    await withPage(ctx, device, {}, async (page) => {
      await page.shown('main');
      ok(!page.visible(page.one('pairing-banner')), 'nothing waits yet');
      device.pairingRequest('p1');
      (await page.shown('pairing-open')).click();
      device.refuse('linkDeviceByCode', { code: 'WRONG_CODE', attemptsLeft: 2 });
      page.type(await page.shown('link-device-code'), 'abcd-2345');
      page.one('link-device-code-submit').click();
      await page.until(() => page.text(page.one('link-device-error')) !== '', 'the wrong code');
      equal(page.text(page.one('link-device-error')), page.strings['linkDevice.failed.WRONG_CODE'].replace('{count}', '2'));
      deepEqual(device.called('linkDeviceByCode'), [['abcd-2345']]);
    });
  }],

  ['a phone whose number was registered on another phone says so, and starts again from the first screen', async (ctx) => {
    const device = alicesPhone();
    await withPage(ctx, device, {}, async (page) => {
      await page.shown('main');
      device.loggedOut('reregistered');
      const reason = await page.shown('logged-out-reason');
      equal(page.text(reason), page.strings['loggedOut.phone.reregistered']);
      page.one('relink').click();
      await page.shown('choose-phone');
    });
  }],
];
