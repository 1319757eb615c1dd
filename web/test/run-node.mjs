// Runs web/test/**/*.test.js under node:test, one describe() per file.
//   node --test web/test/run-node.mjs        (all files)
//   node web/test/run-node.mjs [filter...]   (filters: paths or substrings of repo-relative paths)
import { register } from 'node:module';
import { describe, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findTestFiles, repoRoot } from './discover.mjs';
import { collectCases, makeContext } from './harness.js';

// The page's vendored modules (static/vendor/) from their npm packages, as the web jar has them.
register('./vendor-hooks.mjs', import.meta.url);

const ctx = makeContext('node', async (rel) => {
  try {
    return await readFile(path.join(repoRoot, rel), 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
});

let files;
try {
  files = findTestFiles(process.argv.slice(2));
} catch (err) {
  console.error(`run-node: ${err.message}`);
  process.exit(2);
}

// Import everything first so that test registration below is synchronous.
const suites = [];
for (const file of files) {
  try {
    const mod = await import(pathToFileURL(path.join(repoRoot, file)).href);
    suites.push({ file, cases: collectCases(mod, file, 'node') });
  } catch (error) {
    suites.push({ file, error });
  }
}

if (suites.every((s) => !s.cases?.length && !s.error)) {
  test('test cases found', () => {
    throw new Error('no test cases in web/test/**/*.test.js');
  });
}
for (const { file, cases, error } of suites) {
  describe(file, () => {
    if (error) test('load', () => { throw error; });
    else for (const c of cases) test(c.name, { timeout: c.timeout }, () => c.fn(ctx));
  });
}
