// The link screen: QR codes, the phone-number way, and what the page says when linking fails.
import { equal, ok, deepEqual } from '../assert.js';
import { FakeDevice, ALICE } from './fake-device.js';
import { withPage } from './ui.js';

const QR_URI = 'quintet://link?v=1&a=AAAA&k=BBBB&i=CCCC&n=RGVzaw';

export const tests = [
  ['a new browser shows the steps and a QR code for each rotation, with the link as text', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      equal(page.screen(), 'link');
      deepEqual([...page.doc.querySelectorAll('.steps li')].map(page.text),
        [page.strings['link.step1'], page.strings['link.step2'], page.strings['link.step3']]);
      equal(device.called('startQrLink').length, 1);
      equal(device.state, 'linking');

      device.emit('qr', { uri: QR_URI, expiresAt: Date.now() + 30_000 });
      const image = await page.shown('qr-image');
      equal(image.tagName, 'IMG');
      equal(image.alt, page.strings['link.qr.alt']);
      equal(new URL(image.src).pathname, '/web/test/ui/qr-fixture.svg');
      equal(new URL(image.src).searchParams.get('data'), QR_URI);
      equal(page.text(page.one('qr-uri')), QR_URI);

      const next = 'quintet://link?v=1&a=DDDD&k=BBBB&i=CCCC&n=RGVzaw';
      device.emit('qr', { uri: next, expiresAt: Date.now() + 30_000 });
      equal(new URL(page.one('qr-image').src).searchParams.get('data'), next);
      equal(page.text(page.one('qr-uri')), next);
    });
  }],

  ['a lost connection: the code makes way for a note in each language, and the new connection\'s code follows', async (ctx) => {
    for (const lang of ['en', 'bn']) {
      const device = new FakeDevice();
      await withPage(ctx, device, { lang, choose: 'link' }, async (page) => {
        device.emit('qr', { uri: QR_URI, expiresAt: Date.now() + 30_000 });
        await page.shown('qr-image');
        device.emit('link-reconnecting', { delayMs: 500, wasOpen: true });
        const note = await page.shown('qr-waiting');
        equal(page.text(note), page.strings['link.reconnecting']);
        equal(note.getAttribute('role'), 'status');
        ok(!page.visible(page.one('qr-image')), `${lang}: the dead code is gone`);
        ok(!page.visible(page.one('qr-uri')), `${lang}: and its link`);
        equal(page.one('link-error'), null, `${lang}: no error`);

        const next = 'quintet://link?v=1&a=EEEE&k=BBBB&i=CCCC&n=RGVzaw';
        device.emit('qr', { uri: next, expiresAt: Date.now() + 30_000 });
        await page.shown('qr-image');
        equal(new URL(page.one('qr-image').src).searchParams.get('data'), next);
        ok(!page.visible(note), `${lang}: the note goes`);
        equal(device.called('startQrLink').length, 1, `${lang}: the same attempt, not a new one`);
      });
    }

    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), ALICE.number);
      page.one('link-number-submit').click();
      await page.until(() => device.called('startCodeLink').length === 1, 'the code request');
      device.emit('code', { code: 'ABCD-2345', expiresAt: Date.now() + 180_000 });
      await page.shown('link-code');
      device.emit('link-reconnecting', { delayMs: 500, wasOpen: true });
      const note = await page.shown('link-reconnecting');
      equal(page.text(note), page.strings['link.reconnecting']);
      equal(page.one('link-code'), null, 'the dead code is gone');
      ok(page.visible(page.one('change-number')), 'another number can still be chosen');
      device.emit('code', { code: 'WXYZ-6789', expiresAt: Date.now() + 180_000 });
      equal(page.text(await page.shown('link-code')), 'WXYZ-6789');
      equal(page.one('link-reconnecting'), null);
    });
  }],

  ['the device name goes into the code; a new name starts a new code', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      const field = page.one('device-name');
      await page.until(() => device.called('startQrLink').length === 1, 'the first code');
      equal(device.called('startQrLink')[0][0].name, field.value);
      ok(field.value.length > 0, 'a default name');

      page.type(field, 'Office laptop');
      await page.until(() => device.called('startQrLink').length === 2, 'a second code');
      equal(device.called('cancelLink').length, 1);
      deepEqual(device.called('startQrLink')[1], [{ name: 'Office laptop' }]);
      equal(device.state, 'linking');
    });
  }],

  ['when the code times out, the page says to reload, and Reload starts again', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      device.emit('qr', { uri: QR_URI, expiresAt: Date.now() });
      device.linkFailed('TIMEOUT');
      const error = await page.shown('link-error');
      ok(page.text(error).includes(page.strings['link.failed.TIMEOUT']));
      ok(!page.visible(page.one('qr-image')), 'the stale code is gone');
      const reload = page.one('link-retry');
      equal(page.text(reload), page.strings['link.reload']);
      reload.click();
      await page.until(() => device.called('startQrLink').length === 2, 'a new attempt');
      ok(!page.one('link-error'));
    });
  }],

  ['an unknown failure still says what happened', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      device.linkFailed('SOMETHING_NEW');
      const error = await page.shown('link-error');
      ok(page.text(error).includes('SOMETHING_NEW'));
      equal(page.text(page.one('link-retry')), page.strings['link.tryAgain']);
    });
  }],

  ['by phone number: a bad number is refused, then the code shows big, with wrong-code and expiry', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      page.one('link-switch').click();
      const number = await page.shown('link-number');
      await page.until(() => device.state === 'unlinked', 'the QR attempt to end');
      equal(page.text(page.one('link-switch')), page.strings['link.useQr']);

      page.type(number, '01711');
      page.one('link-number-submit').click();
      equal(number.getAttribute('aria-invalid'), 'true');
      ok(page.text(page.doc.getElementById('link-number-error')).includes('+8801711000001'));
      equal(device.called('startCodeLink').length, 0);

      page.type(number, '+880 1711-000001');
      page.one('link-number-submit').click();
      await page.until(() => device.called('startCodeLink').length === 1, 'the code request');
      equal(device.called('startCodeLink')[0][0].number, ALICE.number);

      device.emit('code', { code: 'ABCD2345', expiresAt: Date.now() + 180_000 });
      const code = await page.shown('link-code');
      equal(page.text(code), 'ABCD-2345');
      ok(/Expires in (3:00|2:59)/.test(page.text(page.doc.querySelector('.code-expiry'))));
      deepEqual([...page.doc.querySelectorAll('.steps li')].map(page.text),
        [page.strings['link.step1'], page.strings['link.code.step2'], page.strings['link.code.step3']]);

      ok(!page.visible(page.one('wrong-code')), 'no wrong code yet');
      device.emit('wrong-code', { attemptsLeft: 2 });
      ok(page.text(await page.shown('wrong-code')).endsWith('Attempts left: 2'));
    });
  }],

  ['a code request that fails goes back to the number, kept, with the reason', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), ALICE.number);
      page.one('link-number-submit').click();
      device.emit('code', { code: 'ABCD-2345', expiresAt: Date.now() + 180_000 });
      await page.shown('link-code');
      device.linkFailed('TOO_MANY_WRONG_CODES');
      ok(page.text(await page.shown('link-error')).includes(page.strings['link.failed.TOO_MANY_WRONG_CODES']));
      equal(page.one('link-number').value, ALICE.number);
      ok(!page.one('link-code'));
      ok(!page.one('link-retry'), 'the form is the way to try again');
    });
  }],

  ['another number: the request under way is cancelled', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), ALICE.number);
      page.one('link-number-submit').click();
      device.emit('code', { code: 'ABCD-2345', expiresAt: Date.now() + 180_000 });
      (await page.shown('change-number')).click();
      await page.shown('link-number');
      await page.until(() => device.state === 'unlinked', 'the request to end');
    });
  }],

  ['in Bengali: the screen, the code expiry in Bengali digits', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { lang: 'bn', choose: 'link' }, async (page) => {
      equal(page.text(page.doc.querySelector('h1')), page.strings['link.title']);
      ok(/[\u0980-\u09ff]/.test(page.strings['link.title']));
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), '+৮৮০১৭১১০০০০০১');
      page.one('link-number-submit').click();
      await page.until(() => device.called('startCodeLink').length === 1, 'the code request');
      equal(device.called('startCodeLink')[0][0].number, ALICE.number, 'Bengali digits are digits');
      device.emit('code', { code: 'ABCD2345', expiresAt: Date.now() + 125_000 });
      await page.shown('link-code');
      ok(/২:০[০-৫]/.test(page.text(page.doc.querySelector('.code-expiry'))));
    });
  }],

  ['once linked, the chats show', async (ctx) => {
    const device = new FakeDevice();
    await withPage(ctx, device, { choose: 'link' }, async (page) => {
      device.emit('qr', { uri: QR_URI, expiresAt: Date.now() + 30_000 });
      device.linked(ALICE);
      await page.shown('main');
      equal(page.text(page.one('account-number')), ALICE.number);
    });
  }],

  ['a page opened while a link was under way elsewhere waits for the history', async (ctx) => {
    const device = new FakeDevice({ state: 'linking' });
    await withPage(ctx, device, {}, async (page) => {
      equal(page.screen(), 'syncing');
      device.emit('history-progress', { part: 2, parts: 5 });
      equal(page.text(page.one('sync-progress')), 'Syncing messages… part 2 of 5');
      equal(page.doc.querySelector('progress').value, 2);
      device.linked(ALICE);
      await page.shown('main');
    });
  }],
];
