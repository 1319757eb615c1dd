// A page that cannot start: without a secure context it says how to open it so that it can (no
// WebCrypto there, so nothing else could work); any other failure offers to try again.
import { equal, ok } from '../assert.js';
import { FakeDevice } from './fake-device.js';
import { withPage } from './ui.js';
import { ClientError, ClientErrorCode } from '../../../static/js/client/errors.js';

const insecure = async () => {
  throw new ClientError(ClientErrorCode.INSECURE_CONTEXT, 'WebCrypto is not available');
};

export const tests = [
  ['no secure context: the page says to open it over https or on localhost, in each language', async (ctx) => {
    for (const lang of ['en', 'bn']) {
      await withPage(ctx, new FakeDevice(), { lang, width: 360, height: 740, open: insecure }, async (page) => {
        const card = await page.shown('insecure');
        equal(page.screen(), 'failed');
        equal(card.getAttribute('role'), 'alert');
        equal(page.text(card.querySelector('h1')), page.strings['app.insecure.title']);
        const text = page.text(card);
        ok(text.includes(page.win.location.origin), `${lang}: names the address it was opened at: ${text}`);
        ok(text.includes('https') && text.includes('localhost') && text.includes('./quintet serve --tls'), `${lang}: ${text}`);
        ok(!text.includes('WebCrypto is not available'), `${lang}: the person's words, not the error's`);
        equal(card.querySelector('button'), null, `${lang}: trying again here cannot help`);
        ok(page.doc.documentElement.scrollWidth <= 360, `${lang}: fits a phone`);
      });
    }
  }],

  ['any other failure to start: what went wrong, and a button to try again', async (ctx) => {
    // The browser's own failures (a blocked database) say what happened; a fault of the page's
    // scripts is not shown as the script's error.
    const blocked = async () => {
      throw new DOMException('IndexedDB is blocked', 'UnknownError');
    };
    await withPage(ctx, new FakeDevice(), { open: blocked }, async (page) => {
      const card = await page.shown('start-failed');
      equal(page.text(card.querySelector('h1')), page.strings['app.startFailed']);
      ok(page.text(card).includes('IndexedDB is blocked'));
      equal(page.text(card.querySelector('button')), page.strings['app.retry']);
      equal(page.one('insecure'), null);
    });
    const faulty = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'open')");
    };
    await withPage(ctx, new FakeDevice(), { open: faulty }, async (page) => {
      const card = await page.shown('start-failed');
      ok(page.text(card).includes(page.strings['error.unexpected']));
      ok(!page.text(card).includes('Cannot read properties'));
    });
  }],
];
