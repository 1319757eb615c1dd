// End-to-end harness: a real relay (./quintet serve) on a free loopback port, CLI devices
// (./quintet <verb> --home DIR), and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { chromium } from 'playwright-core';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const launcher = path.join(repo, 'quintet');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Process groups of the relays and redis-servers started here: should the test process end
// without stopping them (a cancelled run, an uncaught error), they are killed on its way out.
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

function track(child) {
  running.add(child.pid);
  child.on('exit', () => running.delete(child.pid));
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `quintet-e2e-${prefix}-`));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Whether the relay answers /healthz with 200; over HTTPS, trusting exactly the certificate it made.
function healthy(relay) {
  if (!relay.https) return fetch(`${relay.url}/healthz`).then((response) => response.ok);
  const certificate = path.join(relay.data, 'tls', 'self-signed-cert.pem');
  if (!fs.existsSync(certificate)) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    https.get(`${relay.url}/healthz`, { ca: fs.readFileSync(certificate) }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    }).on('error', reject);
  });
}

// A relay process; `log` accumulates its output, where the log code sender writes the codes.
// stop() ends it; start() runs it again on the same port and data, as a restart would.
// With `https`, it serves HTTPS on `host` with the certificate it makes itself; `pin` is the
// public-key pin it prints (what a device pins, and Chromium's SPKI list takes after "sha256/").
export async function startRelay(extraArgs = [], { https: secure = false, host = '127.0.0.1' } = {}) {
  const port = await freePort();
  const data = tempDir('relay');
  const relay = {
    port, data, child: null, log: '', https: secure,
    url: secure ? `https://${host}:${port}` : `http://localhost:${port}`,
    get pin() {
      const found = relay.log.match(/public-key pin (sha256\/[A-Za-z0-9+/=]+)/);
      return found ? found[1] : null;
    },
    codeFor(number) {
      const escaped = number.replace('+', '\\+');
      const matches = [...relay.log.matchAll(new RegExp(`verification code for ${escaped}: (\\d{6})`, 'g'))];
      return matches.length ? matches[matches.length - 1][1] : null;
    },
    async stop() {
      const { child } = relay;
      if (child && child.exitCode === null && child.signalCode === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
        await waitFor(() => child.exitCode !== null || child.signalCode !== null, 20_000, 'the relay to stop')
          .catch(() => process.kill(-child.pid, 'SIGKILL'));
      }
    },
    async start() {
      // A second process would find the port taken while the first one answers for it, unowned.
      if (relay.child && relay.child.exitCode === null && relay.child.signalCode === null) {
        throw new Error('the relay is already running');
      }
      const child = spawn(launcher, ['serve', '--host', host, '--port', String(port), '--data', data,
        ...(secure ? ['--tls'] : []), ...extraArgs],
        { cwd: data, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      track(child);
      relay.child = child;
      child.stdout.on('data', (chunk) => { relay.log += chunk; });
      child.stderr.on('data', (chunk) => { relay.log += chunk; });
      // The first start may build the project. A relay that never serves is stopped, not left behind.
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`the relay exited:\n${relay.log}`);
        try {
          return await healthy(relay);
        } catch {
          return false;
        }
      }, 300_000, 'the relay to serve').catch(async (error) => {
        await relay.stop();
        throw error;
      });
    },
  };
  await relay.start();
  return relay;
}

// Debian's redis-server on a free loopback port, persisting as a relay needs (append-only file,
// fsync at every write) into a temporary directory.
export async function startRedis() {
  const port = await freePort();
  const dir = tempDir('redis');
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir],
  { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child);
  const redis = {
    port, dir, child, log: '',
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
        await waitFor(() => child.exitCode !== null || child.signalCode !== null, 10_000, 'redis-server to stop')
          .catch(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } });
      }
    },
  };
  child.stdout.on('data', (chunk) => { redis.log += chunk; });
  child.stderr.on('data', (chunk) => { redis.log += chunk; });
  child.on('error', (error) => { redis.log += String(error); });
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`redis-server exited:\n${redis.log}`);
    return ping(port);
  }, 20_000, 'redis-server to answer').catch(async (error) => {
    await redis.stop();
    throw error;
  });
  return redis;
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1_000, () => { socket.destroy(); resolve(false); });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) { socket.end(); resolve(reply.startsWith('+PONG')); }
    });
    socket.on('error', () => resolve(false));
  });
}

// A cluster: one redis-server and `nodes` relay processes over it, sharing one relay key, each
// with its own port and data directory. `stop()` stops every node, then Redis; it is safe to
// call after a failed start as well.
export async function startCluster({ nodes = 2, extraArgs = [] } = {}) {
  const cluster = { redis: null, nodes: [], key: path.join(tempDir('cluster'), 'relay.key') };
  cluster.stop = async () => {
    await Promise.all(cluster.nodes.map((node) => node.stop()));
    await cluster.redis?.stop();
  };
  fs.writeFileSync(cluster.key, crypto.randomBytes(32), { mode: 0o600 });
  try {
    cluster.redis = await startRedis();
    const args = ['--redis', cluster.redis.url, '--relay-key', cluster.key, ...extraArgs];
    // One node at a time: the first start may build the project, and two builds must not overlap.
    for (let i = 0; i < nodes; i++) cluster.nodes.push(await startRelay(args));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

// Runs one CLI command to completion.
export function cli(relay, home, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(launcher, [...args, '--home', home, '--relay', relay.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`./quintet ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Starts a CLI command that keeps running (link-device waits for the companion, for example).
export function cliBackground(relay, home, args) {
  const child = spawn(launcher, [...args, '--home', home, '--relay', relay.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  const run = { child, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => { run.stdout += chunk; });
  child.stderr.on('data', (chunk) => { run.stderr += chunk; });
  run.done = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return run;
}

export async function expectOk(result, what) {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

// Registers a number on a CLI home: that home becomes the account's primary.
export async function registerPrimary(relay, home, number) {
  await expectOk(await cli(relay, home, ['register', number]), `register ${number}`);
  const code = await waitFor(() => relay.codeFor(number), 10_000, `the code for ${number}`);
  await expectOk(await cli(relay, home, ['verify', code]), `verify ${number}`);
}

// args: more Chromium switches (e.g. --host-resolver-rules, to reach a relay by another name).
export async function openBrowser({ args = [] } = {}) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true, args: [...CHROMIUM_ARGS, ...args] });
  const errors = [];
  return {
    browser,
    errors,
    async page(url, options = {}) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(url);
      return page;
    },
    // A page past the first screen, on which a person chose to link this browser to a phone.
    async linkPage(url, options = {}) {
      const page = await this.page(url, options);
      await page.locator('[data-testid="choose-link"]').click();
      return page;
    },
    close: () => browser.close(),
  };
}

// Waits until the page's service worker controls it. The worker takes over the page that installed
// it once it activates; a page loaded before that (or with the worker bypassed) is reloaded once.
export async function waitForServiceWorker(page, timeoutMs = 60_000) {
  const active = await page.evaluate((ms) => Promise.race([
    navigator.serviceWorker.ready.then(() => true),
    new Promise((resolve) => { setTimeout(() => resolve(false), ms); }),
  ]), timeoutMs / 2);
  if (!active) throw new Error('no service worker became active for the page');
  const controlled = () => page.waitForFunction(() => navigator.serviceWorker.controller !== null, null,
    { timeout: timeoutMs / 2 });
  await controlled().catch(async () => {
    await page.reload();
    await controlled();
  });
}

// Every URL in the page's origin's Cache Storage (the service worker's copies), cache by cache.
export function cachedUrls(page) {
  return page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
    }
    return urls;
  });
}

// What Chromium logs of a page's requests and sockets while its relay is down.
export const RELAY_DOWN = /^Failed to load resource: net::ERR_CONNECTION_REFUSED$|^WebSocket connection to '.*' failed/;

// Decodes the QR code shown in an element from a screenshot, as a camera would.
export async function decodeQr(locator) {
  const png = PNG.sync.read(await locator.screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!found) throw new Error('no QR code could be read from the screenshot');
  return found.data;
}

// The link of the QR code the page shows, once it is readable.
export async function shownLink(page, timeoutMs = 60_000) {
  const qr = page.locator('[data-testid="qr-image"]');
  await qr.waitFor({ timeout: timeoutMs });
  return waitFor(() => decodeQr(qr).catch(() => null), timeoutMs, 'a readable QR code');
}

// Links the page to the account whose primary is the CLI home, by the page's QR code, as a person
// would, and waits for the page's chats. Resolves to the link it used.
export async function linkWithCli(relay, home, page, timeoutMs = 60_000) {
  const uri = await shownLink(page, timeoutMs);
  const primary = cliBackground(relay, home, ['link-device', uri]);
  const code = await primary.done;
  if (code !== 0) throw new Error(`link-device failed (exit ${code}):\n${primary.stdout}\n${primary.stderr}`);
  await page.locator('[data-testid="main"]').waitFor({ timeout: timeoutMs });
  return uri;
}

// Writes a video that Chromium plays as its camera (with --use-fake-device-for-media-stream and
// --use-file-for-fake-video-capture=FILE; Chromium loops it): the PNG, e.g. a screenshot of a QR
// code, on white with a margin of at least `margin` pixels, which gives a scanner the quiet zone a
// code needs, in a few identical frames. Y4M in 4:2:0, whose chroma planes take every other row
// and column: both sides are even. Returns the file's path.
export function fakeCameraFile(png, file, { margin = 48, frames = 3 } = {}) {
  const image = PNG.sync.read(png);
  const width = evenAbove(image.width + 2 * margin);
  const height = evenAbove(image.height + 2 * margin);
  const left = Math.floor((width - image.width) / 2);
  const top = Math.floor((height - image.height) / 2);
  // The picture's pixel at (x, y) as RGB, over white where the PNG is transparent or absent.
  const rgb = (x, y) => {
    const ix = x - left;
    const iy = y - top;
    if (ix < 0 || iy < 0 || ix >= image.width || iy >= image.height) return [255, 255, 255];
    const at = (iy * image.width + ix) * 4;
    const alpha = image.data[at + 3] / 255;
    return [0, 1, 2].map((c) => image.data[at + c] * alpha + 255 * (1 - alpha));
  };
  const luma = Buffer.alloc(width * height);
  const chroma = width * height / 4;
  const blue = Buffer.alloc(chroma);
  const red = Buffer.alloc(chroma);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) luma[y * width + x] = bt601(rgb(x, y))[0];
  }
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const block = [rgb(x, y), rgb(x + 1, y), rgb(x, y + 1), rgb(x + 1, y + 1)];
      const mean = [0, 1, 2].map((c) => block.reduce((sum, pixel) => sum + pixel[c], 0) / 4);
      const [, u, v] = bt601(mean);
      blue[(y / 2) * (width / 2) + x / 2] = u;
      red[(y / 2) * (width / 2) + x / 2] = v;
    }
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, blue, red]);
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`),
    ...Array(frames).fill(frame),
  ]));
  return file;
}

function evenAbove(n) {
  return n + (n % 2);
}

// RGB to Y'CbCr as ITU-R BT.601 has it, in the video range (Y' 16 to 235) that Chromium assumes
// for a camera's frames.
function bt601([r, g, b]) {
  return [
    16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255,
    128 + (-37.797 * r - 74.203 * g + 112 * b) / 255,
    128 + (112 * r - 93.786 * g - 18.214 * b) / 255,
  ].map(Math.round);
}

export { waitFor };
