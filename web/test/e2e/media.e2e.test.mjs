// Files between the page (linked to a CLI phone) and another account on the command line: a
// picture drawn on a canvas goes from the page and comes out of the other account's CLI with the
// same SHA-256; a 20 MiB file from the CLI downloads in the page with its progress shown and the
// same digest; an upload broken off midway goes on from the relay's offset.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import {
  cli, expectOk, linkWithCli, openBrowser, registerPrimary, startRelay, tempDir,
} from './harness.mjs';

const ALICE = '+8801711000001';
const BOB = '+8801811000002';
const STEP = 120_000;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const lines = (stdout) => stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));

// A picture as a canvas would draw one: a gradient with a circle, as PNG.
function picture() {
  const png = new PNG({ width: 320, height: 200 });
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (png.width * y + x) << 2;
      const inCircle = (x - 160) ** 2 + (y - 100) ** 2 < 60 ** 2;
      png.data[i] = inCircle ? 220 : x % 256;
      png.data[i + 1] = inCircle ? 40 : y % 256;
      png.data[i + 2] = 120;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

describe('files between the page and the command line', { timeout: 15 * 60_000 }, () => {
  let relay;
  let browser;
  let page;
  const alice = tempDir('alice');
  const bob = tempDir('bob');
  const byId = (id) => page.locator(`[data-testid="${id}"]`);

  before(async () => {
    relay = await startRelay();
    browser = await openBrowser();
    await registerPrimary(relay, alice, ALICE);
    await registerPrimary(relay, bob, BOB);
    await expectOk(await cli(relay, bob, ['send', ALICE, 'send me the picture']), 'send');
    page = await browser.linkPage(relay.url);
    await linkWithCli(relay, alice, page, STEP);
    await byId('chat-item').first().click();
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  test('a picture sent from the page comes out of the other account\'s CLI with its SHA-256', async () => {
    const png = picture();
    await byId('composer-input').fill('the garden');
    await byId('file-input').setInputFiles({ name: 'garden.png', mimeType: 'image/png', buffer: png });
    const mine = byId('message').filter({ hasText: 'the garden' });
    await mine.locator('[data-testid="attachment-image"]').waitFor({ timeout: STEP });
    await mine.and(page.locator('[data-status="sent"], [data-status="delivered"]')).waitFor({ timeout: STEP });

    const received = lines((await expectOk(await cli(relay, bob, ['receive', '--json']), 'receive')).stdout);
    const file = received.find((line) => line.type === 'attachment');
    assert.ok(file, JSON.stringify(received));
    assert.equal(file.caption, 'the garden');
    assert.equal(file.fileName, 'garden.png');
    assert.equal(file.contentType, 'image/png');
    assert.deepEqual([file.width, file.height], [320, 200]);
    assert.equal(file.sha256, sha256(png));
    assert.equal(sha256(readFileSync(file.path)), sha256(png));
  });

  test('a 20 MiB file from the CLI downloads in the page, its progress shown, with the same digest', async () => {
    const data = randomBytes(20 * 1024 * 1024);
    const file = path.join(tempDir('files'), 'archive.bin');
    writeFileSync(file, data);
    await expectOk(await cli(relay, bob, ['send-file', ALICE, file, '--caption', 'the archive'], { timeoutMs: STEP }), 'send-file');
    const bubble = byId('message').filter({ hasText: 'the archive' });
    await bubble.locator('[data-testid="attachment-download"]').click({ timeout: STEP });
    await bubble.locator('[data-testid="attachment-progress"]:visible').waitFor({ timeout: STEP });
    const save = bubble.locator('[data-testid="attachment-save"]');
    await save.waitFor({ timeout: STEP });
    assert.equal(await save.getAttribute('download'), 'archive.bin');
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    assert.equal(download.suggestedFilename(), 'archive.bin');
    assert.equal(sha256(readFileSync(await download.path())), sha256(data), 'the bytes saved are the bytes sent');
  });

  test('an upload broken off midway goes on from the relay\'s offset, sending less than 1.3 times the file', async () => {
    const data = randomBytes(20 * 1024 * 1024);
    let sent = 0;
    let aborted = 0;
    page.on('request', (request) => {
      if (request.method() === 'PATCH') sent += request.postDataBuffer()?.length ?? 0;
    });
    await page.route('**/v1/blobs/*', async (route) => {
      if (route.request().method() === 'PATCH' && aborted === 0 && sent > 4 * 1024 * 1024) {
        aborted++;
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await byId('composer-input').fill('the big one');
    await byId('file-input').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: data });
    const bubble = byId('message').filter({ hasText: 'the big one' });
    await bubble.and(page.locator('[data-status="sent"], [data-status="delivered"]')).waitFor({ timeout: STEP });
    await page.unroute('**/v1/blobs/*');
    assert.equal(aborted, 1, 'one part was broken off');
    assert.ok(sent < 1.3 * data.length, `${sent} bytes sent for ${data.length}`);
    const received = lines((await expectOk(await cli(relay, bob, ['receive', '--json'], { timeoutMs: STEP }), 'receive')).stdout);
    const file = received.find((line) => line.type === 'attachment' && line.caption === 'the big one');
    assert.equal(sha256(readFileSync(file.path)), sha256(data));
  });

  test('no console errors but the broken-off upload', () => {
    assert.deepEqual(browser.errors.filter((error) => !/ERR_CONNECTION_RESET|ERR_FAILED|ERR_CONNECTION_CLOSED/.test(error)), []);
  });
});
