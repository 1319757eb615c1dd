// The browser companion against a real relay and CLI devices: what a person does, in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  cli, cliBackground, expectOk, openBrowser, registerPrimary, shownLink, startRelay, tempDir, waitFor,
} from './harness.mjs';

const ALICE = '+8801711000001';
const BOB = '+8801811000002';
const STEP = 60_000;

describe('web companion', { timeout: 15 * 60_000 }, () => {
  let relay;
  let browser;
  const alice = tempDir('alice');
  const bob = tempDir('bob');

  before(async () => {
    relay = await startRelay();
    browser = await openBrowser();
    await registerPrimary(relay, alice, ALICE);
    await registerPrimary(relay, bob, BOB);
    await expectOk(await cli(relay, alice, ['send', BOB, 'before the browser was linked']), 'send');
    await expectOk(await cli(relay, bob, ['receive', '--timeout', '5']), 'receive');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  const byId = (page, id) => page.locator(`[data-testid="${id}"]`);

  async function linkByQr(page) {
    const uri = await shownLink(page, STEP);
    assert.match(uri, /^quintet:\/\/link\?/);
    assert.equal(uri, (await byId(page, 'qr-uri').textContent()).trim(), 'the QR holds the URI shown beside it');
    const primary = cliBackground(relay, alice, ['link-device', uri]);
    assert.equal(await primary.done, 0, `link-device failed:\n${primary.stdout}\n${primary.stderr}`);
    await byId(page, 'main').waitFor({ timeout: STEP });
  }

  let page;

  test('link by QR: the history arrives, and the chat works both ways', async () => {
    page = await browser.linkPage(relay.url);
    await linkByQr(page);

    const chat = byId(page, 'chat-item').filter({ hasText: BOB });
    await chat.waitFor({ timeout: STEP });
    await chat.click();
    await byId(page, 'message-list').getByText('before the browser was linked').waitFor({ timeout: STEP });

    await expectOk(await cli(relay, bob, ['send', ALICE, 'hello from Bob']), 'bob sends');
    await byId(page, 'message-list').getByText('hello from Bob').waitFor({ timeout: STEP });

    await byId(page, 'composer-input').fill('hello Bob, from the browser');
    await byId(page, 'composer-input').press('Enter');
    const received = await waitFor(async () => {
      const run = await cli(relay, bob, ['receive', '--timeout', '3', '--json']);
      return run.stdout.includes('hello Bob, from the browser') ? run.stdout : null;
    }, STEP, 'Bob to receive the browser\'s text');
    const line = received.split('\n').find((l) => l.includes('hello Bob, from the browser'));
    assert.equal(JSON.parse(line).from, ALICE);
  });

  test('a reload keeps the device linked, with its chats', async () => {
    await page.reload();
    await byId(page, 'main').waitFor({ timeout: STEP });
    await byId(page, 'chat-item').filter({ hasText: BOB }).click();
    await byId(page, 'message-list').getByText('hello from Bob').waitFor({ timeout: STEP });
  });

  let second;

  test('link by phone number and code, after a wrong code', async () => {
    second = await browser.linkPage(relay.url);
    await byId(second, 'link-switch').click();
    await byId(second, 'link-number').fill(ALICE);
    await byId(second, 'link-number-submit').click();
    const code = (await waitFor(async () => {
      const text = (await byId(second, 'link-code').textContent().catch(() => '')) ?? '';
      return /^[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}$/.test(text.trim()) ? text.trim() : null;
    }, STEP, 'the pairing code')).trim();
    const wrong = code.startsWith('2') ? '3333-3333' : '2222-2222';
    const refused = await cli(relay, alice, ['link-device', '--code', wrong, '--timeout', '30']);
    assert.notEqual(refused.code, 0, 'a wrong code does not link');
    await byId(second, 'wrong-code').waitFor({ timeout: STEP });
    await expectOk(await cli(relay, alice, ['link-device', '--code', code, '--timeout', '60']), 'link-device --code');
    await byId(second, 'main').waitFor({ timeout: STEP });
    const devices = JSON.parse((await expectOk(await cli(relay, alice, ['devices', '--json']), 'devices')).stdout);
    assert.equal(devices.length ?? devices.devices.length, 3, 'the primary and two browsers');
  });

  test('log out from the browser: it leaves the account and returns to the link screen', async () => {
    await byId(second, 'nav-settings').click();
    await byId(second, 'logout').click();
    await byId(second, 'logout-confirm').click();
    await byId(second, 'qr-image').waitFor({ timeout: STEP });
    const devices = JSON.parse((await expectOk(await cli(relay, alice, ['devices', '--json']), 'devices')).stdout);
    assert.equal(devices.length ?? devices.devices.length, 2);
  });

  test('removed by the primary: the browser says so', async () => {
    const listing = JSON.parse((await expectOk(await cli(relay, alice, ['devices', '--json']), 'devices')).stdout);
    const companion = (listing.devices ?? listing).find((d) => d.deviceId !== 1);
    await expectOk(await cli(relay, alice, ['remove-device', String(companion.deviceId)]), 'remove-device');
    await byId(page, 'logged-out').waitFor({ timeout: STEP });
    assert.match(await byId(page, 'logged-out-reason').textContent(), /\S/);
  });

  test('no console errors on any page', () => {
    assert.deepEqual(browser.errors, []);
  });
});
