// A device's queue at its quota, seen from the browser: a text the relay refuses because a device
// it is for already has as many messages waiting as the relay keeps for one device is marked
// "Not sent", and the page says whose device it is and what to do; once the devices took what
// waited for them, the next text goes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  cli, expectOk, linkWithCli, openBrowser, registerPrimary, startRelay, tempDir, waitFor,
} from './harness.mjs';

const ALICE = '+8801711000031';
const BOB = '+8801811000032';
const STEP = 60_000;

describe('queue quota', { timeout: 10 * 60_000 }, () => {
  let relay;
  let browser;
  const alice = tempDir('alice');
  const bob = tempDir('bob');

  before(async () => {
    // One waiting envelope per device instead of ten thousand, so that "full" is the second text.
    const config = path.join(tempDir('config'), 'quintet.json');
    fs.writeFileSync(config, JSON.stringify({ limits: { maxQueuedEnvelopesPerDevice: 1 } }));
    relay = await startRelay(['--config', config]);
    browser = await openBrowser();
    await registerPrimary(relay, alice, ALICE);
    await registerPrimary(relay, bob, BOB);
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  const byId = (page, id) => page.locator(`[data-testid="${id}"]`);

  async function send(page, text) {
    const input = byId(page, 'composer-input');
    await input.fill(text);
    await input.press('Enter');
    return page.locator('[data-testid="message"]', { hasText: text });
  }

  test('a text for a full queue is not sent, and the page says whose device and what to do', async () => {
    const page = await browser.linkPage(relay.url);
    await linkWithCli(relay, alice, page, STEP);

    // Bob's phone is offline: one text from Alice's phone fills its queue.
    await expectOk(await cli(relay, alice, ['send', BOB, 'first']), 'the first text');
    await byId(page, 'nav-new-chat').click();
    await byId(page, 'new-chat-number').fill(BOB);
    await byId(page, 'new-chat-start').click();
    await byId(page, 'conversation').waitFor({ timeout: STEP });

    const refused = await send(page, 'second');
    await page.locator('[data-testid="message"][data-status="failed"]', { hasText: 'second' })
      .waitFor({ timeout: STEP });
    const notice = byId(page, 'notice').filter({ hasText: BOB });
    await notice.waitFor({ timeout: STEP });
    assert.match(await notice.textContent(), /^Not sent: .*a device of \+8801811000032.*come online/);
    assert.equal(await refused.count(), 1);

    // Bob takes his text; its receipt now waits for Alice's phone, which is offline: her own phone's queue is full.
    await expectOk(await cli(relay, bob, ['receive', '--timeout', '3']), 'Bob receives');
    await send(page, 'third');
    const ownPhone = byId(page, 'notice').filter({ hasText: 'your phone' });
    await ownPhone.waitFor({ timeout: STEP });
    assert.match(await ownPhone.textContent(), /Open Quintet on your phone/);

    // Alice's phone takes its receipt: the next text goes.
    await expectOk(await cli(relay, alice, ['receive', '--timeout', '3']), 'Alice\'s phone receives');
    await send(page, 'fourth');
    await page.locator('[data-testid="message"][data-status="sent"], [data-testid="message"][data-status="delivered"]',
      { hasText: 'fourth' }).waitFor({ timeout: STEP });

    // The browser's own note of each refused request is the only console error.
    assert.deepEqual(browser.errors.filter((error) => !/status of 507/.test(error)), []);
  });
});
