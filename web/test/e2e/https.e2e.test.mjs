// The relay as people run it on a home network: HTTPS with the certificate it makes itself,
// reached at an address other than localhost. Chromium trusts it by its public key alone
// (--ignore-certificate-errors-spki-list, not a blanket flag); the CLI refuses it until its
// owner pins it, then links the page and chats with it both ways.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  cli, expectOk, linkWithCli, openBrowser, startRelay, tempDir, waitFor, waitForServiceWorker,
} from './harness.mjs';

const ALICE = '+8801711000031';
const BOB = '+8801811000032';
const STEP = 60_000;

describe('the page over HTTPS at another address', { timeout: 10 * 60_000 }, () => {
  let relay;
  let browser;
  const alice = tempDir('alice');
  const bob = tempDir('bob');
  const byId = (page, id) => page.locator(`[data-testid="${id}"]`);

  before(async () => {
    relay = await startRelay([], { https: true, host: '127.0.0.2' });
    assert.match(relay.pin, /^sha256\/[A-Za-z0-9+/]{43}=$/, 'the relay prints its pin');
    browser = await openBrowser({ args: [`--ignore-certificate-errors-spki-list=${relay.pin.slice('sha256/'.length)}`] });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  async function register(home, number) {
    await expectOk(await cli(relay, home, ['--relay-fingerprint', relay.pin, 'register', number]), `register ${number}`);
    const code = await waitFor(() => relay.codeFor(number), 10_000, `the code for ${number}`);
    await expectOk(await cli(relay, home, ['verify', code]), `verify ${number}`);
  }

  test('the CLI refuses the unpinned certificate, saying how to pin it, and works once it is pinned', async () => {
    const refused = await cli(relay, alice, ['register', ALICE]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /does not trust/);
    assert.ok(refused.stderr.includes(`--relay-fingerprint ${relay.pin}`), refused.stderr);
    await register(alice, ALICE);
    await register(bob, BOB);
  });

  test('the page links with the CLI primary by QR and chats both ways', async () => {
    const page = await browser.linkPage(relay.url);
    assert.equal(await page.evaluate(() => window.isSecureContext), true);
    await linkWithCli(relay, alice, page, STEP);

    await expectOk(await cli(relay, bob, ['send', ALICE, 'hello over https']), 'bob sends');
    const chat = byId(page, 'chat-item').filter({ hasText: BOB });
    await chat.waitFor({ timeout: STEP });
    await chat.click();
    await byId(page, 'message-list').getByText('hello over https').waitFor({ timeout: STEP });

    await byId(page, 'composer-input').fill('and back, from the page');
    await byId(page, 'composer-input').press('Enter');
    await waitFor(async () => {
      const run = await cli(relay, bob, ['receive', '--timeout', '3', '--json']);
      return run.stdout.includes('and back, from the page') ? run.stdout : null;
    }, STEP, 'Bob to receive the page\'s text');
    // The service worker (which keeps the page for offline use) runs over HTTPS too.
    await waitForServiceWorker(page);
    assert.deepEqual(browser.errors, []);
  });
});
