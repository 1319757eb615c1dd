// The link screen: QR codes, the phone-number way, and what the page says when linking fails.
import { equal, ok, deepEqual } from '../assert.js';
import { FakeCompanion, ALICE } from './fake-companion.js';
import { withPage } from './ui.js';

const QR_URI = 'quintet://link?v=1&a=AAAA&k=BBBB&i=CCCC&n=RGVzaw';

export const tests = [
  ['a new browser shows the steps and a QR code for each rotation, with the link as text', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      equal(page.screen(), 'link');
      deepEqual([...page.doc.querySelectorAll('.steps li')].map(page.text),
        [page.strings['link.step1'], page.strings['link.step2'], page.strings['link.step3']]);
      equal(companion.called('startQrLink').length, 1);
      equal(companion.state, 'linking');

      companion.emit('qr', { uri: QR_URI, expiresAt: Date.now() + 30_000 });
      const image = await page.shown('qr-image');
      equal(image.tagName, 'IMG');
      equal(image.alt, page.strings['link.qr.alt']);
      equal(new URL(image.src).pathname, '/web/test/ui/qr-fixture.svg');
      equal(new URL(image.src).searchParams.get('data'), QR_URI);
      equal(page.text(page.one('qr-uri')), QR_URI);

      const next = 'quintet://link?v=1&a=DDDD&k=BBBB&i=CCCC&n=RGVzaw';
      companion.emit('qr', { uri: next, expiresAt: Date.now() + 30_000 });
      equal(new URL(page.one('qr-image').src).searchParams.get('data'), next);
      equal(page.text(page.one('qr-uri')), next);
    });
  }],

  ['a lost connection: the code makes way for a note in each language, and the new connection\'s code follows', async (ctx) => {
    for (const lang of ['en', 'bn']) {
      const companion = new FakeCompanion();
      await withPage(ctx, companion, { lang }, async (page) => {
        companion.emit('qr', { uri: QR_URI, expiresAt: Date.now() + 30_000 });
        await page.shown('qr-image');
        companion.emit('link-reconnecting', { delayMs: 500, wasOpen: true });
        const note = await page.shown('qr-waiting');
        equal(page.text(note), page.strings['link.reconnecting']);
        equal(note.getAttribute('role'), 'status');
        ok(!page.visible(page.one('qr-image')), `${lang}: the dead code is gone`);
        ok(!page.visible(page.one('qr-uri')), `${lang}: and its link`);
        equal(page.one('link-error'), null, `${lang}: no error`);

        const next = 'quintet://link?v=1&a=EEEE&k=BBBB&i=CCCC&n=RGVzaw';
        companion.emit('qr', { uri: next, expiresAt: Date.now() + 30_000 });
        await page.shown('qr-image');
        equal(new URL(page.one('qr-image').src).searchParams.get('data'), next);
        ok(!page.visible(note), `${lang}: the note goes`);
        equal(companion.called('startQrLink').length, 1, `${lang}: the same attempt, not a new one`);
      });
    }

    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), ALICE.number);
      page.one('link-number-submit').click();
      await page.until(() => companion.called('startCodeLink').length === 1, 'the code request');
      companion.emit('code', { code: 'ABCD-2345', expiresAt: Date.now() + 180_000 });
      await page.shown('link-code');
      companion.emit('link-reconnecting', { delayMs: 500, wasOpen: true });
      const note = await page.shown('link-reconnecting');
      equal(page.text(note), page.strings['link.reconnecting']);
      equal(page.one('link-code'), null, 'the dead code is gone');
      ok(page.visible(page.one('change-number')), 'another number can still be chosen');
      companion.emit('code', { code: 'WXYZ-6789', expiresAt: Date.now() + 180_000 });
      equal(page.text(await page.shown('link-code')), 'WXYZ-6789');
      equal(page.one('link-reconnecting'), null);
    });
  }],

  ['the device name goes into the code; a new name starts a new code', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      const field = page.one('device-name');
      await page.until(() => companion.called('startQrLink').length === 1, 'the first code');
      equal(companion.called('startQrLink')[0][0].name, field.value);
      ok(field.value.length > 0, 'a default name');

      page.type(field, 'Office laptop');
      await page.until(() => companion.called('startQrLink').length === 2, 'a second code');
      equal(companion.called('cancelLink').length, 1);
      deepEqual(companion.called('startQrLink')[1], [{ name: 'Office laptop' }]);
      equal(companion.state, 'linking');
    });
  }],

  ['when the code times out, the page says to reload, and Reload starts again', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      companion.emit('qr', { uri: QR_URI, expiresAt: Date.now() });
      companion.linkFailed('TIMEOUT');
      const error = await page.shown('link-error');
      ok(page.text(error).includes(page.strings['link.failed.TIMEOUT']));
      ok(!page.visible(page.one('qr-image')), 'the stale code is gone');
      const reload = page.one('link-retry');
      equal(page.text(reload), page.strings['link.reload']);
      reload.click();
      await page.until(() => companion.called('startQrLink').length === 2, 'a new attempt');
      ok(!page.one('link-error'));
    });
  }],

  ['an unknown failure still says what happened', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      companion.linkFailed('SOMETHING_NEW');
      const error = await page.shown('link-error');
      ok(page.text(error).includes('SOMETHING_NEW'));
      equal(page.text(page.one('link-retry')), page.strings['link.tryAgain']);
    });
  }],

  ['by phone number: a bad number is refused, then the code shows big, with wrong-code and expiry', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      page.one('link-switch').click();
      const number = await page.shown('link-number');
      await page.until(() => companion.state === 'unlinked', 'the QR attempt to end');
      equal(page.text(page.one('link-switch')), page.strings['link.useQr']);

      page.type(number, '01711');
      page.one('link-number-submit').click();
      equal(number.getAttribute('aria-invalid'), 'true');
      ok(page.text(page.doc.getElementById('link-number-error')).includes('+8801711000001'));
      equal(companion.called('startCodeLink').length, 0);

      page.type(number, '+880 1711-000001');
      page.one('link-number-submit').click();
      await page.until(() => companion.called('startCodeLink').length === 1, 'the code request');
      equal(companion.called('startCodeLink')[0][0].number, ALICE.number);

      companion.emit('code', { code: 'ABCD2345', expiresAt: Date.now() + 180_000 });
      const code = await page.shown('link-code');
      equal(page.text(code), 'ABCD-2345');
      ok(/Expires in (3:00|2:59)/.test(page.text(page.doc.querySelector('.code-expiry'))));
      deepEqual([...page.doc.querySelectorAll('.steps li')].map(page.text),
        [page.strings['link.step1'], page.strings['link.code.step2'], page.strings['link.code.step3']]);

      ok(!page.visible(page.one('wrong-code')), 'no wrong code yet');
      companion.emit('wrong-code', { attemptsLeft: 2 });
      ok(page.text(await page.shown('wrong-code')).endsWith('Attempts left: 2'));
    });
  }],

  ['a code request that fails goes back to the number, kept, with the reason', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), ALICE.number);
      page.one('link-number-submit').click();
      companion.emit('code', { code: 'ABCD-2345', expiresAt: Date.now() + 180_000 });
      await page.shown('link-code');
      companion.linkFailed('TOO_MANY_WRONG_CODES');
      ok(page.text(await page.shown('link-error')).includes(page.strings['link.failed.TOO_MANY_WRONG_CODES']));
      equal(page.one('link-number').value, ALICE.number);
      ok(!page.one('link-code'));
      ok(!page.one('link-retry'), 'the form is the way to try again');
    });
  }],

  ['another number: the request under way is cancelled', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), ALICE.number);
      page.one('link-number-submit').click();
      companion.emit('code', { code: 'ABCD-2345', expiresAt: Date.now() + 180_000 });
      (await page.shown('change-number')).click();
      await page.shown('link-number');
      await page.until(() => companion.state === 'unlinked', 'the request to end');
    });
  }],

  ['in Bengali: the screen, the code expiry in Bengali digits', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, { lang: 'bn' }, async (page) => {
      equal(page.text(page.doc.querySelector('h1')), page.strings['link.title']);
      ok(/[\u0980-\u09ff]/.test(page.strings['link.title']));
      page.one('link-switch').click();
      page.type(await page.shown('link-number'), '+৮৮০১৭১১০০০০০১');
      page.one('link-number-submit').click();
      await page.until(() => companion.called('startCodeLink').length === 1, 'the code request');
      equal(companion.called('startCodeLink')[0][0].number, ALICE.number, 'Bengali digits are digits');
      companion.emit('code', { code: 'ABCD2345', expiresAt: Date.now() + 125_000 });
      await page.shown('link-code');
      ok(/২:০[০-৫]/.test(page.text(page.doc.querySelector('.code-expiry'))));
    });
  }],

  ['once linked, the chats show', async (ctx) => {
    const companion = new FakeCompanion();
    await withPage(ctx, companion, {}, async (page) => {
      companion.emit('qr', { uri: QR_URI, expiresAt: Date.now() + 30_000 });
      companion.linked(ALICE);
      await page.shown('main');
      equal(page.text(page.one('account-number')), ALICE.number);
    });
  }],

  ['a page opened while a link was under way elsewhere waits for the history', async (ctx) => {
    const companion = new FakeCompanion({ state: 'linking' });
    await withPage(ctx, companion, {}, async (page) => {
      equal(page.screen(), 'syncing');
      companion.emit('history-progress', { part: 2, parts: 5 });
      equal(page.text(page.one('sync-progress')), 'Syncing messages… part 2 of 5');
      equal(page.doc.querySelector('progress').value, 2);
      companion.linked(ALICE);
      await page.shown('main');
    });
  }],
];
