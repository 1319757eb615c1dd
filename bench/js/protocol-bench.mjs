// Benchmarks of the JS protocol implementation (static/js/protocol/).
//   node bench/js/protocol-bench.mjs [--json] [--scale=F] [--browser]
// --json prints one JSON document instead of a table; --scale multiplies the iteration counts;
// --browser runs the same benchmarks in headless Chromium (/usr/bin/chromium or $CHROMIUM_PATH).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchmarks } from './protocol-bench-core.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function parseArgs(argv) {
  const options = { json: false, browser: false, scale: 1 };
  for (const arg of argv) {
    if (arg === '--json') options.json = true;
    else if (arg === '--browser') options.browser = true;
    else if (arg.startsWith('--scale=') && Number(arg.slice(8)) > 0) options.scale = Number(arg.slice(8));
    else throw new Error(`unknown argument ${arg}; usage: protocol-bench.mjs [--json] [--scale=F] [--browser]`);
  }
  return options;
}

// Serves only the two directories the benchmark page loads.
function startServer() {
  const allowed = ['bench/js/', 'static/js/protocol/'];
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
  const server = http.createServer((req, res) => {
    const rel = path.posix.normalize(decodeURIComponent(new URL(req.url, 'http://localhost').pathname)).slice(1);
    const file = path.join(repoRoot, rel);
    if (!allowed.some((dir) => rel.startsWith(dir)) || !types[path.extname(rel)] || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(rel)], 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function runInChromium(scale) {
  const { chromium } = await import('playwright-core');
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    // localhost is a secure context, so crypto.subtle is available to the page.
    await page.goto(`http://localhost:${server.address().port}/bench/js/protocol-bench.html?scale=${scale}`);
    const results = await page.evaluate(() => window.benchResults);
    return { results, runtime: `Chromium ${browser.version()}` };
  } finally {
    await browser.close();
    server.close();
  }
}

function printTable(runtime, results) {
  console.log(`Quintet protocol (JS), ${runtime}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`);
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`${'benchmark'.padEnd(width)}  ${'ops/s'.padStart(9)}  ${'µs/op'.padStart(9)}  iterations`);
  for (const r of results) {
    const columns = [r.name.padEnd(width), String(r.opsPerSecond).padStart(9), r.meanMicros.toFixed(1).padStart(9)];
    console.log(`${columns.join('  ')}  ${r.iterations}`);
  }
}

const options = parseArgs(process.argv.slice(2));
const { results, runtime } = options.browser
  ? await runInChromium(options.scale)
  : { results: await runBenchmarks({ scale: options.scale }), runtime: `Node ${process.version}` };
if (options.json) {
  console.log(JSON.stringify({ runtime, cpus: os.cpus().length, results }, null, 2));
} else {
  printTable(runtime, results);
}
