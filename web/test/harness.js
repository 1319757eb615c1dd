// The test-file contract and the ctx object, shared by the Node and browser runners.
//
// A test file (web/test/**/*.test.js) exports:
//   export const tests = [ ['name', async (ctx) => { ... }], ['slow one', fn, { timeout: 60_000 }], ... ];
// A case for one environment only says so, ['IndexedDB', fn, { env: 'chromium' }]: the other runner
// leaves it out rather than letting it pass without checking anything.
// ctx.env is 'node' or 'chromium'; ctx.vector(name) resolves to the parsed protocol/vectors/<name>.json;
// ctx.file(path) to the text of a repository file. The browser runner adds ctx.press(key).
// Files named *.browser.test.js run only in the browser (discover.mjs).

export const DEFAULT_TIMEOUT_MS = 30_000;

// env: the runner's environment ('node' or 'chromium'); cases for another one are left out.
export function collectCases(mod, file, env) {
  if (!Array.isArray(mod.tests)) throw new Error(`${file}: must export const tests = [['name', async (ctx) => {...}], ...]`);
  // A file whose cases were all deleted or commented out would otherwise pass as an empty run.
  if (mod.tests.length === 0) throw new Error(`${file}: exports no test cases`);
  const seen = new Set();
  return mod.tests.map((entry, i) => {
    const [name, fn, options = {}] = Array.isArray(entry) ? entry : [];
    if (typeof name !== 'string' || name === '' || typeof fn !== 'function') {
      throw new Error(`${file}: tests[${i}] must be ['name', async (ctx) => {...}]`);
    }
    if (seen.has(name)) throw new Error(`${file}: duplicate test name ${JSON.stringify(name)}`);
    seen.add(name);
    if (options.env !== undefined && options.env !== 'node' && options.env !== 'chromium') {
      throw new Error(`${file}: tests[${i}] names an unknown env ${JSON.stringify(options.env)}`);
    }
    return { name, fn, timeout: options.timeout ?? DEFAULT_TIMEOUT_MS, env: options.env };
  }).filter((c) => c.env === undefined || c.env === env);
}

// readText(repoRelativePath) resolves to the file's text, or null when it does not exist.
// extras: what only one runner can offer (the browser's real keyboard).
export function makeContext(env, readText, extras = {}) {
  return Object.freeze({
    ...extras,
    env,
    async file(rel) {
      if (typeof rel !== 'string' || !/^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*$/.test(rel) || rel.includes('..')) {
        throw codeError('FILE_BAD_NAME', `bad repository path ${JSON.stringify(rel)}`);
      }
      const text = await readText(rel);
      if (text === null) throw codeError('FILE_NOT_FOUND', `no such file: ${rel}`);
      return text;
    },
    async vector(name) {
      if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*$/.test(name)) {
        throw codeError('VECTOR_BAD_NAME', `bad test vector name ${JSON.stringify(name)}`);
      }
      const rel = `protocol/vectors/${name}.json`;
      const text = await readText(rel);
      if (text === null) throw codeError('VECTOR_NOT_FOUND', `no such test vector: ${rel}`);
      try {
        return JSON.parse(text);
      } catch (err) {
        throw new SyntaxError(`${rel}: ${err.message}`);
      }
    },
  });
}

function codeError(code, message) {
  return Object.assign(new Error(message), { code });
}
