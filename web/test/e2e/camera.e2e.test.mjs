// The camera scanner (static/js/app/qr-scanner.js) on the page as a relay serves it, in Chromium
// with a fake camera: a video of a QR code the relay drew, as a phone would see a companion's
// screen. And what the scanner says when there is no camera to read from.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { fakeCameraFile, openBrowser, startRelay, tempDir } from './harness.mjs';

const STEP = 20_000;
// A companion's link, as its page shows it.
const LINK = 'quintet://link?v=1&a=3q2-7wAAAAAAAAAAAAAAAA&k=6VRjtWiZVQFjtOWj2EOB9jIwvSNy35JVPcI-GEf3ilw'
  + '&i=1Uk4tmE8w6TwTCN0idGL0dw0jxBkaK-xotu7JNZ_aDqnGs1zwBMs3r4AvkD6RQ4MW6F3uk47gaZ6ML9bVwCWbA&n=Q2hyb21lIG9uIExpbnV4';
// Chromium resolves this name to the relay's loopback address; a page from it over plain http is
// not a secure context, as one from a LAN address would not be.
const HOST = 'quintet.test';
const FAKE_CAMERA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

// Starts a scanner on a new <video> of the page; window.scans[name] records what it reports.
function startScan(page, name) {
  return page.evaluate(async (name) => {
    const { startQrScanner } = await import('/static/js/app/qr-scanner.js');
    const video = document.body.appendChild(document.createElement('video'));
    const scan = { video, codes: [], errors: [] };
    scan.scanner = startQrScanner(video, {
      onCode: (text) => scan.codes.push(text),
      onError: (reason) => scan.errors.push(reason),
    });
    (window.scans ??= {})[name] = scan;
  }, name);
}

function reported(page, name) {
  return page.evaluate((name) => ({ codes: window.scans[name].codes, errors: window.scans[name].errors }), name);
}

async function firstReport(page, name) {
  await page.waitForFunction((name) => window.scans[name].codes.length + window.scans[name].errors.length > 0,
    name, { timeout: STEP });
  return reported(page, name);
}

describe('the camera scanner', { timeout: 5 * 60_000 }, () => {
  let relay;
  let dir;
  // No camera permission, and a prompt for one is refused: also what draws the codes.
  let plain;
  const browsers = [];

  before(async () => {
    relay = await startRelay();
    dir = tempDir('camera');
    plain = await openBrowser({ args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts',
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`] });
    browsers.push(plain);
  });

  after(async () => {
    await Promise.all(browsers.map((browser) => browser.close()));
    await relay?.stop();
  });

  // A Chromium whose camera shows `png`.
  async function cameraShowing(png, name) {
    const video = fakeCameraFile(png, path.join(dir, `${name}.y4m`));
    const browser = await openBrowser({ args: [...FAKE_CAMERA, `--use-file-for-fake-video-capture=${video}`] });
    browsers.push(browser);
    return browser;
  }

  // The relay's own QR image of LINK, shown in its page as the link screen shows one, in a screenshot.
  async function linkCode() {
    const page = await plain.page(`${relay.url}/`);
    const image = await page.evaluateHandle(async (src) => {
      const img = document.body.appendChild(document.createElement('img'));
      img.src = src;
      await img.decode();
      return img;
    }, `/qr.svg?data=${encodeURIComponent(LINK)}`);
    const png = await image.screenshot();
    await page.context().close();
    return png;
  }

  test('reads the link in the camera\'s picture, once, and stop() lets the camera go', async () => {
    const browser = await cameraShowing(await linkCode(), 'link');
    const page = await browser.page(`${relay.url}/`);
    await startScan(page, 'link');
    assert.deepEqual(await firstReport(page, 'link'), { codes: [LINK], errors: [] });

    // The same code stays in the picture for many more frames: it is not reported again.
    await page.waitForTimeout(1_500);
    assert.deepEqual(await reported(page, 'link'), { codes: [LINK], errors: [] });

    const released = await page.evaluate(() => {
      const { video, scanner } = window.scans.link;
      const tracks = video.srcObject.getTracks();
      scanner.stop();
      scanner.stop();
      return { tracks: tracks.map((track) => track.readyState), attached: video.srcObject !== null };
    });
    assert.deepEqual(released, { tracks: ['ended'], attached: false });
    await page.context().close();
  });

  test('reads a code drawn light on dark, as a command line prints it on a light terminal', async () => {
    const png = PNG.sync.read(await linkCode());
    for (let i = 0; i < png.data.length; i += 4) {
      for (let c = 0; c < 3; c++) png.data[i + c] = 255 - png.data[i + c];
    }
    const browser = await cameraShowing(PNG.sync.write(png), 'inverted');
    const page = await browser.page(`${relay.url}/`);
    await startScan(page, 'inverted');
    assert.deepEqual(await firstReport(page, 'inverted'), { codes: [LINK], errors: [] });
    await page.context().close();
  });

  test('a scanner stopped before its camera opened reports nothing and leaves the video empty', async () => {
    const browser = await cameraShowing(await linkCode(), 'stopped');
    const page = await browser.page(`${relay.url}/`);
    await page.evaluate(async () => {
      const { startQrScanner } = await import('/static/js/app/qr-scanner.js');
      const video = document.createElement('video');
      const scan = { video, codes: [], errors: [] };
      startQrScanner(video, {
        onCode: (text) => scan.codes.push(text),
        onError: (reason) => scan.errors.push(reason),
      }).stop();
      window.scans = { stopped: scan };
    });
    // One started at the same time and left running reads the code: by then the stopped one would have.
    await startScan(page, 'running');
    assert.deepEqual(await firstReport(page, 'running'), { codes: [LINK], errors: [] });
    assert.deepEqual(await reported(page, 'stopped'), { codes: [], errors: [] });
    assert.equal(await page.evaluate(() => window.scans.stopped.video.srcObject), null);
    await page.evaluate(() => window.scans.running.scanner.stop());
    await page.context().close();
  });

  test('a refused camera is \'denied\'', async () => {
    const page = await plain.page(`${relay.url}/`);
    await startScan(page, 'denied');
    assert.deepEqual(await firstReport(page, 'denied'), { codes: [], errors: ['denied'] });
    await page.context().close();
  });

  test('no camera at all is \'absent\'', async () => {
    const browser = await openBrowser({ args: ['--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream=device-count=0'] });
    browsers.push(browser);
    const page = await browser.page(`${relay.url}/`);
    await startScan(page, 'absent');
    assert.deepEqual(await firstReport(page, 'absent'), { codes: [], errors: ['absent'] });
    await page.context().close();
  });

  test('a camera that stops while scanning, here as its permission is withdrawn, is \'failed\'', async () => {
    const page = await plain.page(`${relay.url}/`, { permissions: ['camera'] });
    await startScan(page, 'withdrawn');
    await page.waitForFunction(() => window.scans.withdrawn.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA,
      null, { timeout: STEP });
    await page.context().clearPermissions();
    assert.deepEqual(await firstReport(page, 'withdrawn'), { codes: [], errors: ['failed'] });
    assert.equal(await page.evaluate(() => window.scans.withdrawn.video.srcObject), null);
    await page.context().close();
  });

  test('a page that is not a secure context has no camera: \'insecure\'', async () => {
    const page = await plain.page(`http://${HOST}:${relay.port}/`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    await startScan(page, 'insecure');
    assert.deepEqual(await firstReport(page, 'insecure'), { codes: [], errors: ['insecure'] });
    await page.context().close();
  });

  test('no console errors on any page', () => {
    assert.deepEqual(browsers.flatMap((browser) => browser.errors), []);
  });
});
