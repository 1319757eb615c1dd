// Finds test files for both runners (Node only).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const testRoot = path.join(repoRoot, 'web', 'test');

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && entry.name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

// Repo-relative POSIX paths of web/test/**/*.test.js, sorted. Each filter is either an existing
// file or directory (relative to the working directory) or a substring of the repo-relative path.
// A filter that matches nothing is an error, so a typo cannot pass as an empty run.
// Files named *.browser.test.js need a DOM: only the browser runner (browser: true) takes them.
export function findTestFiles(filters = [], { browser = false } = {}) {
  const all = walk(testRoot, []).filter((f) => browser || !f.endsWith('.browser.test.js')).sort();
  const rel = (f) => path.relative(repoRoot, f).split(path.sep).join('/');
  if (filters.length === 0) return all.map(rel);
  const chosen = new Set();
  for (const filter of filters) {
    const abs = path.resolve(filter);
    const matches = fs.existsSync(abs)
      ? all.filter((f) => f === abs || f.startsWith(abs + path.sep))
      : all.filter((f) => rel(f).includes(filter));
    if (matches.length === 0) throw new Error(`no test file matches ${JSON.stringify(filter)}`);
    matches.forEach((f) => chosen.add(f));
  }
  return all.filter((f) => chosen.has(f)).map(rel);
}
