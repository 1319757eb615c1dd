// Byte-string helpers shared by the codecs: hex, concatenation, big-endian integers, comparison
// and a bounds-checked reader for received structures.

import { ErrorCode, ProtocolError, fail } from './errors.js';
import { MAX_U64, VERSION } from './limits.js';

export { VERSION };

const encoder = new TextEncoder();

export function toHex(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) {
    throw new TypeError('not an even-length hex string');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concat(...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

// Only ASCII is ever encoded (labels, codes, E.164 numbers); callers validate their input, so
// UTF-8 encoding is the same as ASCII here.
export function ascii(text) {
  return encoder.encode(text);
}

// ctx(purpose) of section 1: the label plus a 0x00 terminator, so that no label is a prefix of
// another label's signed or derived input.
export function context(purpose) {
  return concat(ascii(`Quintet v1 ${purpose}`), Uint8Array.of(0));
}

export function u8(value) {
  checkUint(value, 0xff);
  return Uint8Array.of(value);
}

export function u16(value) {
  checkUint(value, 0xffff);
  return Uint8Array.of(value >>> 8, value & 0xff);
}

export function u32(value) {
  checkUint(value, 0xffffffff);
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

// u64 fields are JS numbers. Every u64 of the protocol (milliseconds since the epoch, list
// versions) stays far below 2^53, so a value a number cannot hold exactly is refused rather than
// rounded.
export function u64(value) {
  checkUint(value, MAX_U64);
  const high = Math.floor(value / 0x100000000);
  return concat(u32(high), u32(value - high * 0x100000000));
}

function checkUint(value, max) {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    fail(ErrorCode.MALFORMED, `integer out of range: ${value}`);
  }
}

export function readU32(bytes, offset) {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

export function readU64(bytes, offset) {
  const high = readU32(bytes, offset);
  if (high > 0x1fffff) fail(ErrorCode.MALFORMED, 'u64 value above 2^53 - 1');
  return high * 0x100000000 + readU32(bytes, offset + 4);
}

// Comparison whose running time depends only on the lengths, for values derived from secrets.
export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function isZero(bytes) {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

function isBytes(value, length) {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}

// Refuses anything that is not a byte string (of the given length), as MALFORMED: the caller
// handed over a structure that cannot be what the protocol expects.
export function requireBytes(value, length, what) {
  if (!isBytes(value, length)) {
    fail(ErrorCode.MALFORMED, `${what} must be ${length === undefined ? 'a Uint8Array' : `${length} bytes`}`);
  }
  return value;
}

// A bounds-checked cursor over a received structure; running short is MALFORMED.
export class Reader {
  #bytes;
  #offset = 0;
  #what;

  constructor(bytes, what) {
    this.#bytes = requireBytes(bytes, undefined, what);
    this.#what = what;
  }

  // Section 1: the version byte first, then the type byte (when the structure has one), then the
  // length; maxLength (if given) is the size limit whose excess is TOO_LARGE.
  static open(bytes, what, type, maxLength) {
    const reader = new Reader(bytes, what);
    if (bytes.length < 1) fail(ErrorCode.MALFORMED, `${what} is empty`);
    if (bytes[0] !== VERSION) fail(ErrorCode.UNSUPPORTED_VERSION, `${what} version ${bytes[0]}`);
    reader.#offset = 1;
    if (type !== undefined) {
      const actual = reader.u8();
      if (actual !== type) fail(ErrorCode.MALFORMED, `${what} has type ${actual}, expected ${type}`);
    }
    if (maxLength !== undefined && bytes.length > maxLength) {
      throw new ProtocolError(ErrorCode.TOO_LARGE, `${what} of ${bytes.length} bytes`);
    }
    return reader;
  }

  get offset() {
    return this.#offset;
  }

  get remaining() {
    return this.#bytes.length - this.#offset;
  }

  take(length) {
    this.#need(length);
    const out = this.#bytes.slice(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  u8() {
    this.#need(1);
    return this.#bytes[this.#offset++];
  }

  u32() {
    this.#need(4);
    const value = readU32(this.#bytes, this.#offset);
    this.#offset += 4;
    return value;
  }

  u64() {
    this.#need(8);
    const value = readU64(this.#bytes, this.#offset);
    this.#offset += 8;
    return value;
  }

  rest() {
    return this.take(this.remaining);
  }

  end() {
    if (this.remaining !== 0) fail(ErrorCode.MALFORMED, `${this.#what} has ${this.remaining} trailing bytes`);
  }

  #need(length) {
    if (this.remaining < length) fail(ErrorCode.MALFORMED, `${this.#what} is truncated`);
  }
}
