// The page as an account's phone, against a real relay, CLI accounts and Chromium: it registers
// a number, links a second page through its camera (a fake camera playing a screenshot of that
// page's QR code) and another by code, links a CLI companion from its link, removes devices, and
// is logged out when the number is registered on another phone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import {
  cli, cliBackground, expectOk, fakeCameraFile, openBrowser, registerPrimary, startRelay, tempDir, waitFor,
  RELAY_DOWN, waitForServiceWorker,
} from './harness.mjs';

const ALICE = '+8801711000001';
const BOB = '+8801811000002';
const STEP = 60_000;
const FAKE_CAMERA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

function blankPng() {
  const png = new PNG({ width: 64, height: 64 });
  png.data.fill(255);
  return PNG.sync.write(png);
}

describe('the page as the phone', { timeout: 20 * 60_000 }, () => {
  let relay;
  let browser;
  let phone;
  let laptop;
  const camera = path.join(tempDir('camera'), 'camera.y4m');
  const bob = tempDir('bob');
  const byId = (page, id) => page.locator(`[data-testid="${id}"]`);

  before(async () => {
    relay = await startRelay();
    // The camera plays whatever the file holds when the page opens it: for now, nothing to read.
    fakeCameraFile(blankPng(), camera);
    browser = await openBrowser({ args: [...FAKE_CAMERA, `--use-file-for-fake-video-capture=${camera}`] });
    await registerPrimary(relay, bob, BOB);
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  async function openChat(page, peer) {
    await byId(page, 'nav-chats').click();
    const chat = byId(page, 'chat-item').filter({ hasText: peer });
    await chat.waitFor({ timeout: STEP });
    await chat.click();
  }

  async function chatShows(page, peer, text) {
    await openChat(page, peer);
    await byId(page, 'message-list').getByText(text).waitFor({ timeout: STEP });
  }

  async function send(page, peer, text) {
    await openChat(page, peer);
    await byId(page, 'composer-input').fill(text);
    await byId(page, 'composer-input').press('Enter');
  }

  test('a page registers the number as its phone, after a wrong code, and chats with a CLI account', async () => {
    phone = await browser.page(relay.url);
    await byId(phone, 'choose-phone').click();
    await byId(phone, 'register-number').fill(ALICE);
    await byId(phone, 'register-name').fill('Alice\'s phone');
    await byId(phone, 'register-send').click();
    const code = await waitFor(() => relay.codeFor(ALICE), 10_000, 'the code in the relay\'s log');
    const wrong = code === '000000' ? '111111' : '000000';
    await byId(phone, 'register-code').fill(wrong);
    await byId(phone, 'register-submit').click();
    await byId(phone, 'register-error').filter({ hasText: 'Attempts left: 4' }).waitFor({ timeout: STEP });
    await byId(phone, 'register-code').fill(code);
    await byId(phone, 'register-submit').click();
    await byId(phone, 'main').waitFor({ timeout: STEP });
    assert.equal((await byId(phone, 'account-number').textContent()).trim(), ALICE);

    await byId(phone, 'nav-new-chat').click();
    await byId(phone, 'new-chat-number').fill(BOB);
    await byId(phone, 'new-chat-number').press('Enter');
    await byId(phone, 'composer-input').fill('hello from the phone page');
    await byId(phone, 'composer-input').press('Enter');
    await waitFor(async () => {
      const received = await cli(relay, bob, ['receive', '--timeout', '3']);
      return received.stdout.includes('hello from the phone page');
    }, STEP, 'Bob to get the text');
    await expectOk(await cli(relay, bob, ['send', ALICE, 'hello phone']), 'send');
    await chatShows(phone, BOB, 'hello phone');
  });

  test('the phone links a second page through its camera: the page gets the history and chats', async () => {
    laptop = await browser.linkPage(relay.url);
    await byId(laptop, 'device-name').fill('Laptop page');
    await byId(laptop, 'device-name').press('Enter');
    const qr = byId(laptop, 'qr-image');
    await qr.waitFor({ timeout: STEP });
    // The QR code as the laptop's screen shows it, in front of the phone's camera.
    await laptop.waitForFunction(() => document.querySelector('[data-testid="qr-image"]')?.complete);
    fakeCameraFile(await qr.screenshot(), camera);

    await byId(phone, 'nav-devices').click();
    await byId(phone, 'link-device').click();
    await byId(phone, 'link-device-done').waitFor({ timeout: STEP });
    await byId(phone, 'link-device-close').click();

    await byId(laptop, 'main').waitFor({ timeout: STEP });
    await chatShows(laptop, BOB, 'hello phone');
    await byId(laptop, 'message-list').getByText('hello from the phone page').waitFor({ timeout: STEP });
    await byId(phone, 'device').filter({ hasText: 'Laptop page' }).waitFor({ timeout: STEP });

    await send(laptop, BOB, 'from the laptop page');
    await chatShows(phone, BOB, 'from the laptop page');
    await expectOk(await cli(relay, bob, ['send', ALICE, 'to all of Alice']), 'send');
    await chatShows(laptop, BOB, 'to all of Alice');
    await chatShows(phone, BOB, 'to all of Alice');
  });

  test('a page that asks by number is announced on the phone; a wrong code is refused with attempts left', async () => {
    const tablet = await browser.linkPage(relay.url);
    await byId(tablet, 'link-switch').click();
    await byId(tablet, 'link-number').fill(ALICE);
    await byId(tablet, 'link-number-submit').click();
    const shown = (await byId(tablet, 'link-code').textContent()).trim();

    await byId(phone, 'pairing-open').click();
    const wrong = shown.startsWith('2222') ? '3333-3333' : '2222-2222';
    await byId(phone, 'link-device-code').fill(wrong);
    await byId(phone, 'link-device-code-submit').click();
    await byId(phone, 'link-device-error').filter({ hasText: 'Attempts left: 2' }).waitFor({ timeout: STEP });
    await byId(tablet, 'wrong-code').filter({ hasText: '2' }).waitFor({ timeout: STEP });

    await byId(phone, 'link-device-code').fill(shown.toLowerCase());
    await byId(phone, 'link-device-code-submit').click();
    await byId(phone, 'link-device-done').waitFor({ timeout: STEP });
    await byId(phone, 'link-device-close').click();
    await byId(tablet, 'main').waitFor({ timeout: STEP });
    await chatShows(tablet, BOB, 'to all of Alice');
    await tablet.context().close();
  });

  test('a CLI companion links from its link pasted on the phone, chats, and is removed by the phone', async () => {
    const home = tempDir('alice-cli');
    const link = cliBackground(relay, home, ['link', '--name', 'Alice CLI']);
    const uri = await waitFor(() => link.stdout.match(/quintet:\/\/link\?\S+/)?.[0], STEP, 'the CLI\'s link');
    await byId(phone, 'nav-devices').click();
    await byId(phone, 'link-device').click();
    await byId(phone, 'link-device-paste').click();
    await byId(phone, 'link-device-uri').fill(uri);
    await byId(phone, 'link-device-submit').click();
    await byId(phone, 'link-device-done').waitFor({ timeout: STEP });
    await byId(phone, 'link-device-close').click();
    assert.equal(await link.done, 0, `link failed:\n${link.stdout}\n${link.stderr}`);

    // The Java client takes the JS phone's signatures: it sends and reads as a device of the account.
    await expectOk(await cli(relay, home, ['send', BOB, 'from Alice\'s CLI']), 'send');
    await chatShows(phone, BOB, 'from Alice\'s CLI');
    const devices = await expectOk(await cli(relay, home, ['devices']), 'devices');
    assert.match(devices.stdout, /Alice's phone/);

    // Renamed on the phone, renamed on every device of the account.
    await byId(phone, 'nav-settings').click();
    await byId(phone, 'rename-device').click();
    await byId(phone, 'rename-input').fill('Alice\'s Android');
    await byId(phone, 'rename-save').click();
    await byId(phone, 'account-name').filter({ hasText: 'Alice\'s Android' }).waitFor({ timeout: STEP });
    const renamed = await expectOk(await cli(relay, home, ['devices']), 'devices');
    assert.match(renamed.stdout, /Alice's Android/);

    await byId(phone, 'nav-devices').click();
    const entry = byId(phone, 'device').filter({ hasText: 'Alice CLI' });
    await entry.locator('[data-testid="remove-device"]').click();
    await byId(phone, 'remove-confirm').click();
    await entry.waitFor({ state: 'detached', timeout: STEP });
    const refused = await cli(relay, home, ['send', BOB, 'after removal']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout + refused.stderr, /logged out|no longer knows/);
  });

  test('the phone removes the laptop page, which says its phone removed it', async () => {
    await byId(phone, 'nav-devices').click();
    const entry = byId(phone, 'device').filter({ hasText: 'Laptop page' });
    await entry.locator('[data-testid="remove-device"]').click();
    await byId(phone, 'remove-confirm').click();
    const reason = byId(laptop, 'logged-out-reason');
    await reason.waitFor({ timeout: STEP });
    assert.equal(await reason.getAttribute('data-reason'), 'removed');
  });

  test('the phone, installed, opens with the relay down and shows its chats; then connects again', async () => {
    await waitForServiceWorker(phone);
    await relay.stop();
    try {
      const response = await phone.reload();
      assert.ok(response?.fromServiceWorker(), 'the page came from the service worker, not Chromium\'s error page');
      await chatShows(phone, BOB, 'from Alice\'s CLI');
      assert.equal(await byId(phone, 'connection-status').getAttribute('data-online'), 'offline');
    } finally {
      await relay.start();
    }
    await waitFor(async () => (await byId(phone, 'connection-status').getAttribute('data-online')) === 'online',
      STEP, 'the phone to connect again');
  });

  test('registering the number on another phone logs this one out, saying why', async () => {
    await registerPrimary(relay, tempDir('new-phone'), ALICE);
    const reason = byId(phone, 'logged-out-reason');
    await reason.waitFor({ timeout: STEP });
    assert.equal((await reason.textContent()).trim(),
      'Your number was registered on another phone, so this one was logged out, with every device linked to it.');
    await byId(phone, 'relink').click();
    await byId(phone, 'choose-phone').waitFor({ timeout: STEP });
  });

  // Chromium reports every refused request in the console: the wrong registration code's 403 is
  // one this file asks for, and so is what the relay being down causes.
  test('no console errors on any page but the refused code and the relay being down', () => {
    const refusedCode = 'Failed to load resource: the server responded with a status of 403 (Forbidden)';
    assert.deepEqual(browser.errors.filter((error) => error !== refusedCode && !RELAY_DOWN.test(error)), []);
    assert.equal(browser.errors.filter((error) => error === refusedCode).length, 1);
  });
});
