// End-to-end harness: a real relay (./quintet serve) on a free loopback port, CLI devices
// (./quintet <verb> --home DIR), and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
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

// A relay process; `log` accumulates its output, where the log code sender writes the codes.
export async function startRelay(extraArgs = []) {
  const port = await freePort();
  const data = tempDir('relay');
  const child = spawn(launcher, ['serve', '--host', '127.0.0.1', '--port', String(port), '--data', data, ...extraArgs],
    { cwd: data, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const relay = {
    port, data, child, log: '',
    url: `http://localhost:${port}`,
    codeFor(number) {
      const escaped = number.replace('+', '\\+');
      const matches = [...relay.log.matchAll(new RegExp(`verification code for ${escaped}: (\\d{6})`, 'g'))];
      return matches.length ? matches[matches.length - 1][1] : null;
    },
    async stop() {
      if (child.exitCode === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
        await waitFor(() => child.exitCode !== null || child.signalCode !== null, 20_000, 'the relay to stop')
          .catch(() => process.kill(-child.pid, 'SIGKILL'));
      }
    },
  };
  child.stdout.on('data', (chunk) => { relay.log += chunk; });
  child.stderr.on('data', (chunk) => { relay.log += chunk; });
  // The first start may build the project.
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`the relay exited:\n${relay.log}`);
    try {
      return (await fetch(`${relay.url}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 300_000, 'the relay to serve');
  return relay;
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

export async function openBrowser() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true, args: CHROMIUM_ARGS });
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
    close: () => browser.close(),
  };
}

// Decodes the QR code shown in an element from a screenshot, as a camera would.
export async function decodeQr(locator) {
  const png = PNG.sync.read(await locator.screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!found) throw new Error('no QR code could be read from the screenshot');
  return found.data;
}

export { waitFor };
