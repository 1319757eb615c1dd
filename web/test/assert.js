// Assertion helpers shared by the Node and browser runners (no Node-only APIs here).

export class AssertionError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'AssertionError';
    this.code = 'ERR_ASSERTION';
  }
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) {
    throw new TypeError(`fromHex: not an even-length hex string: ${show(hex)}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

export function ok(value, msg) {
  if (!value) fail(msg ?? `expected a truthy value, got ${show(value)}`);
}

export function equal(actual, expected, msg) {
  if (!Object.is(actual, expected)) fail(`${prefix(msg)}expected ${show(expected)}, got ${show(actual)}`);
}

export function bytesEqual(actual, expected, msg) {
  for (const [what, v] of [['actual', actual], ['expected', expected]]) {
    if (!(v instanceof Uint8Array)) fail(`${prefix(msg)}${what} is not a Uint8Array: ${typeName(v)}`);
  }
  const i = firstDifference(actual, expected);
  if (i === -1) return;
  fail(`${prefix(msg)}bytes differ at index ${i} (length ${actual.length}, expected ${expected.length})\n` +
    `  actual:   ${hexAround(actual, i)}\n  expected: ${hexAround(expected, i)}`);
}

// Plain JSON-ish values (null, booleans, numbers, strings, arrays, plain objects), plus Uint8Array.
export function deepEqual(actual, expected, msg) {
  const d = difference(actual, expected, '$');
  if (d) fail(`${prefix(msg)}${d}`);
}

// Asserts that a promise (or the promise returned by fn) rejects with an error whose .code === code.
// Returns the error. A synchronous throw from fn fails: async APIs must report errors by rejecting.
export async function rejects(promiseOrFn, code, msg) {
  if (code === undefined) throw new TypeError('rejects: the expected error code is required');
  let promise = promiseOrFn;
  if (typeof promiseOrFn === 'function') {
    try {
      promise = promiseOrFn();
    } catch (err) {
      fail(`${prefix(msg)}expected a rejected promise, but the function threw synchronously: ${showError(err)}`, err);
    }
  }
  if (!promise || typeof promise.then !== 'function') fail(`${prefix(msg)}expected a promise, got ${show(promise)}`);
  let rejected = false;
  let error;
  try {
    await promise;
  } catch (err) {
    rejected = true;
    error = err;
  }
  if (!rejected) fail(`${prefix(msg)}expected a rejection with code ${show(code)}, but the promise resolved`);
  checkCode(error, code, msg);
  return error;
}

// Synchronous counterpart of rejects. Returns the error.
export function throws(fn, code, msg) {
  if (code === undefined) throw new TypeError('throws: the expected error code is required');
  let result;
  try {
    result = fn();
  } catch (err) {
    checkCode(err, code, msg);
    return err;
  }
  if (result && typeof result.then === 'function') {
    result.then(undefined, () => {}); // the caller asserted synchronously; don't leave an unhandled rejection
    fail(`${prefix(msg)}expected a synchronous throw, but the function returned a promise (use rejects)`);
  }
  fail(`${prefix(msg)}expected a throw with code ${show(code)}, but nothing was thrown`);
}

function checkCode(err, code, msg) {
  if (err?.code !== code) {
    fail(`${prefix(msg)}expected error code ${show(code)}, got ${show(err?.code)} from ${showError(err)}`, err);
  }
}

function fail(message, cause) {
  throw new AssertionError(message, cause === undefined ? undefined : { cause });
}

function prefix(msg) {
  return msg ? `${msg}: ` : '';
}

function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

// Whole value when short; otherwise a window around the first difference.
function hexAround(bytes, index) {
  if (bytes.length <= 96) return toHex(bytes);
  const start = Math.max(0, index - 16);
  const end = Math.min(bytes.length, index + 48);
  return `[${start}..${end}) ${start > 0 ? '…' : ''}${toHex(bytes.subarray(start, end))}${end < bytes.length ? '…' : ''}`;
}

function isPlainObject(v) {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function difference(a, b, path) {
  if (Object.is(a, b)) return null;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const i = firstDifference(a, b);
    return i === -1 ? null : `${path}: bytes differ at index ${i}: ${hexAround(a, i)} vs expected ${hexAround(b, i)}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: array length ${a.length}, expected ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const missing = Object.keys(b).filter((k) => !Object.hasOwn(a, k));
    const extra = Object.keys(a).filter((k) => !Object.hasOwn(b, k));
    if (missing.length) return `${path}: missing key(s) ${missing.map(show).join(', ')}`;
    if (extra.length) return `${path}: unexpected key(s) ${extra.map(show).join(', ')}`;
    for (const k of Object.keys(b)) {
      const d = difference(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return `${path}: expected ${show(b)}, got ${show(a)}`;
}

function typeName(v) {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return v.constructor?.name ?? 'Object';
}

function show(v) {
  let s;
  if (v instanceof Uint8Array) s = `Uint8Array(${v.length}) ${toHex(v)}`;
  else if (typeof v === 'number') s = Object.is(v, -0) ? '-0' : String(v);
  else if (typeof v === 'bigint') s = `${v}n`;
  else if (v === undefined || typeof v === 'function' || typeof v === 'symbol') s = String(v);
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
    if (v !== null && typeof v === 'object' && !isPlainObject(v) && !Array.isArray(v)) s = `${typeName(v)} ${s}`;
  }
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function showError(err) {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return show(err);
}
