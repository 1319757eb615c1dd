// Runs web/test/**/*.test.js in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH).
//   node web/test/run-browser.mjs [filter...]   (filters: paths or substrings of repo-relative paths)
// Fails on any failed case, page error, console.error, or if no case ran.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { findTestFiles, repoRoot } from './discover.mjs';

const OVERALL_TIMEOUT_MS = Number(process.env.QUINTET_BROWSER_TIMEOUT_MS ?? 10 * 60_000);
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const MIME = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

// The page's fonts, jsQR, MiniSearch, SHA-256 and tus are not in the repository: the web jar takes them from their npm
// packages (web/pom.xml), and so does this server, at the same paths, so pages here load what
// they load there.
const VENDORED = [
  { path: '/static/fonts/', files: path.join(repoRoot, 'node_modules', '@fontsource', 'noto-sans-bengali', 'files'),
    names: /^noto-sans-bengali-bengali-\d00-normal\.woff2$/ },
  { path: '/static/vendor/jsqr/', files: path.join(repoRoot, 'node_modules', 'jsqr', 'dist'), names: /^jsQR\.js$/ },
  { path: '/static/vendor/emoji/', files: path.join(repoRoot, 'node_modules', 'twemoji-colr-font'),
    names: /^twemoji\.(css|woff2)$/ },
  { path: '/static/vendor/minisearch/', files: path.join(repoRoot, 'node_modules', 'minisearch', 'dist', 'es'), names: /^index\.js$/ },
  { path: '/static/vendor/noble-hashes/', files: path.join(repoRoot, 'node_modules', '@noble', 'hashes'),
    names: /^(sha2|_md|_u64|utils)\.js$/ },
  { path: '/static/vendor/tus/', files: path.join(repoRoot, 'node_modules', 'tus-js-client', 'dist'), names: /^tus\.min\.js$/ },
];

function resolveVendored(vendored, urlPath) {
  const name = urlPath.slice(vendored.path.length);
  if (!vendored.names.test(name)) return null;
  const file = path.join(vendored.files, name);
  return fs.existsSync(file) ? file : null;
}

// Read-only static server for the repo root; nothing outside it, nothing under node_modules or .git.
function resolveRequest(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(repoRoot, '.' + decoded);
  const rel = path.relative(repoRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  if (rel.split(path.sep).some((seg) => seg === 'node_modules' || seg === '.git')) return null;
  try {
    const real = fs.realpathSync(file); // a symlink must not lead out of the repo either
    const realRel = path.relative(fs.realpathSync(repoRoot), real);
    if (realRel.startsWith('..') || path.isAbsolute(realRel) || !fs.statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

function startServer() {
  const server = http.createServer((req, res) => {
    const send = (status, text) => res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    const { pathname } = new URL(req.url, 'http://localhost');
    const vendored = VENDORED.find((entry) => pathname.startsWith(entry.path));
    const file = vendored ? resolveVendored(vendored, pathname) : resolveRequest(pathname);
    if (!file) return send(404, 'not found');
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function main() {
  let files;
  try {
    files = findTestFiles(process.argv.slice(2), { browser: true });
  } catch (err) {
    console.error(`run-browser: ${err.message}`);
    return 2;
  }
  if (!fs.existsSync(executablePath)) {
    console.error(`run-browser: ${executablePath} not found (run scripts/install-deps, or set CHROMIUM_PATH)`);
    return 2;
  }

  let passed = 0;
  let failed = 0;
  let n = 0;
  let origin = '';
  const clean = (text) => (origin ? text.replaceAll(`${origin}/`, '') : text);
  const report = (ok, title, detail) => {
    ok ? passed++ : failed++;
    console.log(`${ok ? 'ok' : 'not ok'} ${++n} - ${title}`);
    if (detail) console.log(clean(detail).replace(/^/gm, '    '));
  };

  let server;
  let browser;
  let timer;
  try {
    server = await startServer();
    origin = `http://localhost:${server.address().port}`; // localhost is a secure context: crypto.subtle exists
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    page.on('pageerror', (err) => report(false, 'page error', err.stack || String(err)));
    page.on('crash', () => report(false, 'page crashed'));
    page.on('console', (msg) => {
      const loc = msg.location();
      // Chromium logs every 404 as an error; for a vector, ctx.vector already rejects with VECTOR_NOT_FOUND.
      const missingVector = msg.text().startsWith('Failed to load resource') &&
        loc.url?.startsWith(`${origin}/protocol/vectors/`);
      if (msg.type() === 'error' && !missingVector) {
        report(false, 'console.error in page', `${msg.text()}${loc.url ? `\n  at ${loc.url}:${loc.lineNumber + 1}` : ''}`);
      } else {
        console.log(`# console.${msg.type()}${missingVector ? ' (ignored)' : ''}: ${clean(msg.text())}`);
      }
    });
    await page.exposeFunction('quintetPress', (key) => page.keyboard.press(key));
    await page.exposeFunction('quintetReport', (r) =>
      report(r.ok, `${r.file} > ${r.name} (${r.ms} ms)`, r.error));

    const query = files.map((f) => `file=${encodeURIComponent(f)}`).join('&');
    const overall = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`overall timeout after ${OVERALL_TIMEOUT_MS} ms`)), OVERALL_TIMEOUT_MS);
    });
    const results = await Promise.race([
      (async () => {
        await page.goto(`${origin}/web/test/browser.html?${query}`);
        return page.evaluate(() => window.quintetResults);
      })(),
      overall,
    ]);
    if (!Array.isArray(results)) report(false, 'test page did not start (see errors above)');
    else if (results.length === 0) report(false, 'no test cases ran');
  } catch (err) {
    report(false, 'runner error', err.stack || String(err));
  } finally {
    clearTimeout(timer);
    await browser?.close().catch((err) => console.error(`run-browser: closing browser: ${err.message}`));
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = await main();
