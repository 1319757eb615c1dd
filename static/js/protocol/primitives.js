// The primitives of docs/protocol.md, section 1, on WebCrypto. Every function takes and returns
// Uint8Array byte strings; private keys are CryptoKey objects so that they can stay
// non-extractable.

import { ErrorCode, ProtocolError } from './errors.js';
import { isZero } from './bytes.js';

const subtle = globalThis.crypto.subtle;

export const GCM_TAG_LENGTH = 16;

// Section 1 refuses, instead of masking, a public key with bit 255 set: RFC 7748 would ignore
// that bit, so it could be flipped in transit without changing any key.
function requireTopBitClear(publicKey) {
  if (publicKey.length !== 32 || (publicKey[31] & 0x80) !== 0) {
    throw new ProtocolError(ErrorCode.INVALID_KEY, 'non-canonical X25519 public key');
  }
}

export async function x25519(privateKey, publicKey) {
  requireTopBitClear(publicKey);
  let shared;
  try {
    const pub = await subtle.importKey('raw', publicKey, { name: 'X25519' }, false, []);
    shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: pub }, privateKey, 256));
  } catch (cause) {
    // WebCrypto implementations refuse a small-order public key themselves (with an
    // OperationError) instead of returning zeros; both mean the same to the protocol.
    throw new ProtocolError(ErrorCode.INVALID_KEY, 'X25519 key agreement failed', { cause });
  }
  if (isZero(shared)) throw new ProtocolError(ErrorCode.INVALID_KEY, 'X25519 output is all zero');
  return shared;
}

export async function sign(privateKey, message) {
  return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, privateKey, message));
}

// False for any signature that does not verify, including a public key that is not a valid
// encoding: callers map false to the code their structure calls for.
export async function verify(publicKey, message, signature) {
  try {
    const key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify({ name: 'Ed25519' }, key, signature, message);
  } catch {
    return false;
  }
}

export async function hkdf(salt, ikm, info, length) {
  const key = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, length * 8));
}

export async function hmacKey(key) {
  return subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export async function hmacWith(cryptoKey, message) {
  return new Uint8Array(await subtle.sign('HMAC', cryptoKey, message));
}

export async function sha256(message) {
  return new Uint8Array(await subtle.digest('SHA-256', message));
}

export async function sha512(message) {
  return new Uint8Array(await subtle.digest('SHA-512', message));
}

export async function pbkdf2(password, salt, iterations, length) {
  const key = await subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt, iterations };
  return new Uint8Array(await subtle.deriveBits(params, key, length * 8));
}

function gcmParams(nonce, ad) {
  return { name: 'AES-GCM', iv: nonce, additionalData: ad, tagLength: GCM_TAG_LENGTH * 8 };
}

export async function gcmSeal(key, nonce, plaintext, ad) {
  const k = await subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  return new Uint8Array(await subtle.encrypt(gcmParams(nonce, ad), k, plaintext));
}

export async function gcmOpen(key, nonce, ciphertext, ad) {
  const k = await subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
  try {
    return new Uint8Array(await subtle.decrypt(gcmParams(nonce, ad), k, ciphertext));
  } catch (cause) {
    throw new ProtocolError(ErrorCode.AUTH_FAILED, 'authentication failed', { cause });
  }
}

// length: 128 makes WebCrypto increment the whole 16-byte counter block, as section 1 specifies
// (a smaller length would wrap only the low bits).
export async function ctr(key, iv, data) {
  const k = await subtle.importKey('raw', key, 'AES-CTR', false, ['encrypt']);
  return new Uint8Array(await subtle.encrypt({ name: 'AES-CTR', counter: iv, length: 128 }, k, data));
}
