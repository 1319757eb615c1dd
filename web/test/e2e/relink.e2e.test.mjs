// A browser waiting to be linked while its relay restarts: the page says it is reconnecting, shows
// a new QR code from the restarted relay (the old one's address died with it), and a command-line
// primary links the page by the new code. Only a refusal by the relay shows an error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  cli, cliBackground, decodeQr, expectOk, openBrowser, registerPrimary, startRelay, tempDir, waitFor,
} from './harness.mjs';

const ALICE = '+8801711000001';
const STEP = 60_000;
// What Chromium logs of a WebSocket that found no relay: expected while the relay is down.
const RELAY_DOWN = /^WebSocket connection to '.*\/v1\/provisioning\/websocket' failed/;

describe('linking across a relay restart', { timeout: 10 * 60_000 }, () => {
  let relay;
  let browser;
  const alice = tempDir('alice');

  before(async () => {
    relay = await startRelay();
    browser = await openBrowser();
    await registerPrimary(relay, alice, ALICE);
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  const byId = (page, id) => page.locator(`[data-testid="${id}"]`);

  // The QR code on the screen, read as a camera would, once it is not `other`.
  function readQr(page, other) {
    return waitFor(async () => {
      try {
        const uri = await decodeQr(byId(page, 'qr-image'));
        return uri !== other ? uri : null;
      } catch {
        return null; // not shown (yet)
      }
    }, STEP, 'a readable QR code');
  }

  test('the page reconnects, shows a new QR code, and the primary links it by the new one', async () => {
    const page = await browser.linkPage(relay.url);
    const first = await readQr(page);
    assert.match(first, /^quintet:\/\/link\?/);

    await relay.stop();
    const note = byId(page, 'qr-waiting');
    await note.waitFor({ state: 'visible', timeout: STEP });
    assert.equal((await note.textContent()).trim(), 'Lost the connection to the server. Reconnecting… A new code will show here.');
    assert.equal(await byId(page, 'qr-image').isVisible(), false, 'the dead code is not shown');
    assert.equal(await byId(page, 'link-error').count(), 0, 'a lost connection is no error');

    await relay.start(); // the same port and data
    const second = await readQr(page, first);
    assert.notEqual(second, first);
    assert.equal(new URL(second.replace(/^quintet:/, 'http:')).searchParams.get('i'),
      new URL(first.replace(/^quintet:/, 'http:')).searchParams.get('i'), 'the same browser, a new address');
    assert.equal((await byId(page, 'qr-uri').textContent()).trim(), second);
    assert.equal(await note.isVisible(), false);
    assert.equal(await byId(page, 'link-error').count(), 0);

    const primary = cliBackground(relay, alice, ['link-device', second]);
    assert.equal(await primary.done, 0, `link-device failed:\n${primary.stdout}\n${primary.stderr}`);
    await byId(page, 'main').waitFor({ timeout: STEP });
    const devices = JSON.parse((await expectOk(await cli(relay, alice, ['devices', '--json']), 'devices')).stdout);
    assert.equal((devices.devices ?? devices).length, 2, 'the primary and the browser');
  });

  test('no console errors but the sockets that found the relay down', () => {
    assert.deepEqual(browser.errors.filter((error) => !RELAY_DOWN.test(error)), []);
  });
});
