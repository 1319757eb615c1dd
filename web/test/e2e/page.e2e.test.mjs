// The page as a relay serves it, in Chromium on this machine: its own Bengali font (this machine
// has none, so without it Bengali is empty boxes), and its own explanation where the browser gives
// it no secure context (plain http from another host name: no WebCrypto).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, startRelay } from './harness.mjs';
import { bengaliFontFacts, fontProblems, machineHasNoBengaliFont } from '../ui/fonts.js';

const STEP = 60_000;
// Chromium resolves this name to the relay's loopback address. Unlike localhost and 127.0.0.0/8,
// a page from it over plain http is not a secure context: as a LAN address would be.
const HOST = 'quintet.test';

describe('the page', { timeout: 10 * 60_000 }, () => {
  let relay;
  let browser;

  before(async () => {
    relay = await startRelay();
    browser = await openBrowser({ args: [`--host-resolver-rules=MAP ${HOST} 127.0.0.1`] });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  const byId = (page, id) => page.locator(`[data-testid="${id}"]`);

  test('Bengali is drawn in the font the relay serves with the page, Latin in the system\'s', async (t) => {
    const page = await browser.linkPage(`${relay.url}/?lang=bn`);
    await byId(page, 'qr-image').waitFor({ timeout: STEP });
    const facts = await page.evaluate(bengaliFontFacts);
    assert.deepEqual(fontProblems(facts), []);
    if (machineHasNoBengaliFont(facts)) t.diagnostic('this machine has no Bengali font: the page\'s own is what renders');
    else t.diagnostic('this machine has a Bengali font of its own');

    const font = await fetch(`${relay.url}/static/fonts/noto-sans-bengali-bengali-400-normal.woff2`);
    assert.equal(font.status, 200);
    assert.equal(font.headers.get('content-type'), 'font/woff2');
    const licence = await (await fetch(`${relay.url}/static/fonts/LICENSE`)).text();
    assert.match(licence, /SIL OPEN FONT LICENSE Version 1\.1/);
    await page.context().close();
  });

  test('over plain http from a host name, the page says to open it over https or on localhost', async () => {
    for (const [lang, title] of [['en', 'Open this page over a secure connection'], ['bn', 'এই পেজটি নিরাপদ সংযোগে খুলুন']]) {
      const url = `http://${HOST}:${relay.port}/?lang=${lang}`;
      const page = await browser.page(url);
      assert.equal(await page.evaluate(() => window.isSecureContext), false, 'not a secure context');
      assert.equal(await page.evaluate(() => typeof crypto.subtle), 'undefined', 'no WebCrypto');
      const card = byId(page, 'insecure');
      await card.waitFor({ timeout: STEP });
      assert.equal((await card.locator('h1').textContent()).trim(), title);
      const text = await card.textContent();
      assert.ok(text.includes(`http://${HOST}:${relay.port}`), text);
      assert.ok(text.includes('./quintet serve --tls'), text);
      assert.ok(!text.includes('generateKey'), text);
      assert.equal(await byId(page, 'qr-image').count(), 0, 'no linking starts');
      await page.context().close();
    }
  });

  test('from localhost, the same relay\'s page is a secure context and links', async () => {
    const page = await browser.linkPage(`http://localhost:${relay.port}/`);
    assert.equal(await page.evaluate(() => window.isSecureContext), true);
    await byId(page, 'qr-image').waitFor({ timeout: STEP });
    assert.equal(await byId(page, 'insecure').count(), 0);
    await page.context().close();
  });

  test('no console errors on any page', () => {
    assert.deepEqual(browser.errors, []);
  });
});
