// Runs test files inside the page, sequentially, one case at a time.
import { collectCases, makeContext } from './harness.js';

const ctx = makeContext('chromium', async (rel) => {
  const res = await fetch(new URL(`../../${rel}`, import.meta.url), { cache: 'no-store' });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${rel}: HTTP ${res.status}`);
  return res.text();
}, {
  // A real key press (trusted events: Tab moves focus, Escape closes a modal dialog), from the
  // runner's Playwright page; only run-browser.mjs provides it.
  async press(key) {
    if (typeof window.quintetPress !== 'function') throw new Error('ctx.press needs run-browser.mjs');
    await window.quintetPress(key);
  },
});

// files: repo-relative paths. report(result) is awaited after each case; result is
// { file, name, ok, ms, error? } with error a printable string.
export async function run(files, report) {
  const results = [];
  const emit = async (r) => {
    results.push(r);
    await report(r);
  };
  for (const file of files) {
    let cases;
    try {
      cases = collectCases(await import(new URL(`../../${file}`, import.meta.url).href), file, 'chromium');
    } catch (err) {
      await emit({ file, name: 'load', ok: false, ms: 0, error: describe(err) });
      continue;
    }
    for (const c of cases) {
      const started = performance.now();
      const r = { file, name: c.name, ok: true };
      try {
        await withTimeout(Promise.resolve().then(() => c.fn(ctx)), c.timeout);
      } catch (err) {
        r.ok = false;
        r.error = describe(err);
      }
      r.ms = Math.round(performance.now() - started);
      await emit(r);
    }
  }
  return results;
}

// A timed-out case keeps running in the background; the next case starts anyway.
function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(err, depth = 0) {
  if (!(err instanceof Error)) {
    let s;
    try { s = JSON.stringify(err); } catch { s = undefined; }
    return `thrown non-Error value: ${s ?? String(err)}`;
  }
  let text = err.stack && err.stack.includes(err.message) ? err.stack : `${err.name}: ${err.message}\n${err.stack ?? ''}`;
  if (err.code !== undefined) text += `\n(code: ${JSON.stringify(err.code)})`;
  if (err.cause !== undefined && depth < 3) text += `\nCaused by: ${describe(err.cause, depth + 1)}`;
  return text.trimEnd();
}
