// The page as an installed app: Chromium finds it installable, and once linked it opens with its
// relay down (the service worker's copy of the page and its files, taken at the first load),
// showing the chats this browser holds, and says it is offline. Nothing of the API or of linking is
// ever in the worker's cache.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  RELAY_DOWN, cachedUrls, cli, expectOk, linkWithCli, openBrowser, registerPrimary, startRelay, tempDir,
  waitFor, waitForServiceWorker,
} from './harness.mjs';

const ALICE = '+8801711000041';
const BOB = '+8801811000042';
const STEP = 60_000;
const TEXT = 'hello, before the relay went down';

describe('the page offline', { timeout: 10 * 60_000 }, () => {
  let relay;
  let browser;
  let page;
  const alice = tempDir('alice');
  const bob = tempDir('bob');
  const byId = (p, id) => p.locator(`[data-testid="${id}"]`);
  // What the service worker may keep: the page, its manifest and its files.
  const shellPath = (url) => {
    const { pathname } = new URL(url);
    return pathname === '/' || pathname === '/manifest.webmanifest' || pathname.startsWith('/static/');
  };

  before(async () => {
    relay = await startRelay();
    browser = await openBrowser();
    await registerPrimary(relay, alice, ALICE);
    await registerPrimary(relay, bob, BOB);
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  async function connection(p) {
    return byId(p, 'connection-status').getAttribute('data-online');
  }

  test('linked by a command-line primary, with a message, and installable', async () => {
    page = await browser.linkPage(relay.url);
    await linkWithCli(relay, alice, page, STEP);

    await expectOk(await cli(relay, bob, ['send', ALICE, TEXT]), 'bob sends');
    const chat = byId(page, 'chat-item').filter({ hasText: BOB });
    await chat.waitFor({ timeout: STEP });
    await chat.click();
    await byId(page, 'message-list').getByText(TEXT).waitFor({ timeout: STEP });

    await waitForServiceWorker(page);
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // The harness's browser contexts are incognito ones, where Chromium installs nothing; it still
    // names every other reason it would not.
    assert.deepEqual(installabilityErrors.filter(({ errorId }) => errorId !== 'in-incognito'), [],
      'Chromium would install the page as an app');
  });

  test('right after that first load, with the relay down, a reload opens the page from the worker, with the chat, offline', async () => {
    // The files the page loaded before the worker ran are the ones the page named to it.
    let missing;
    await waitFor(async () => {
      const kept = new Set(await cachedUrls(page));
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
      missing = [page.url(), ...loaded.filter(shellPath)].filter((url) => !kept.has(url));
      return missing.length === 0;
    }, STEP, 'the page and its files in the cache').catch((error) => {
      throw new Error(`${error.message}; missing: ${missing.join(' ')}`);
    });

    await relay.stop();
    const response = await page.reload();
    assert.ok(response?.fromServiceWorker(), 'the page came from the service worker, not Chromium\'s error page');
    await byId(page, 'main').waitFor({ timeout: STEP });
    const chat = byId(page, 'chat-item').filter({ hasText: BOB });
    await chat.click({ timeout: STEP });
    await byId(page, 'message-list').getByText(TEXT).waitFor({ timeout: STEP });
    await byId(page, 'connection-status').waitFor({ state: 'visible', timeout: STEP });
    assert.equal(await connection(page), 'offline');
  });

  test('the relay back: the page connects through the worker, which keeps nothing but the shell', async () => {
    await relay.start();
    // Connecting asks the API (GET /v1/auth/challenge, /v1/keys/count) under the worker's control.
    await page.reload();
    await byId(page, 'main').waitFor({ timeout: STEP });
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    await waitFor(async () => (await connection(page)) === 'online', STEP, 'the page to connect');
    assert.equal(await page.evaluate(async () => (await fetch('/qr.svg?data=not-for-the-cache')).status), 200);

    const kept = await cachedUrls(page);
    assert.ok(kept.includes(page.url()), 'the page is kept');
    assert.deepEqual(kept.filter((url) => /\/v1\/|\/qr\.svg/.test(url)), [], 'no API answer or QR code kept');
    assert.deepEqual(kept.filter((url) => !shellPath(url)), [], 'nothing but the shell kept');
  });

  test('no console errors but what the relay being down causes', () => {
    assert.deepEqual(browser.errors.filter((error) => !RELAY_DOWN.test(error)), []);
  });
});
