// Key sources (section 1) and device identities (section 2).
//
// A key source provides newX25519(), newEd25519() and bytes(n), all asynchronous. Key pairs are
// { privateKey: CryptoKey (non-extractable), publicKey: Uint8Array(32) }.

import { concat, fromHex, requireBytes, u64 } from './bytes.js';
import { hmacKey, hmacWith } from './primitives.js';

const subtle = globalThis.crypto.subtle;

const X25519 = { name: 'X25519' };
const ED25519 = { name: 'Ed25519' };
const X25519_USAGES = ['deriveBits'];
const ED25519_USAGES = ['sign'];

// getRandomValues fills at most 65536 bytes per call.
const RANDOM_CHUNK = 65536;

async function rawPublicKey(cryptoKey) {
  return new Uint8Array(await subtle.exportKey('raw', cryptoKey));
}

// The production source: the platform's secure generator, private keys never extractable.
export function secureSource() {
  return Object.freeze({
    async newX25519() {
      const pair = await subtle.generateKey(X25519, false, X25519_USAGES);
      return { privateKey: pair.privateKey, publicKey: await rawPublicKey(pair.publicKey) };
    },
    async newEd25519() {
      const pair = await subtle.generateKey(ED25519, false, ED25519_USAGES);
      return { privateKey: pair.privateKey, publicKey: await rawPublicKey(pair.publicKey) };
    },
    async bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += RANDOM_CHUNK) globalThis.crypto.getRandomValues(out.subarray(i, i + RANDOM_CHUNK));
      return out;
    },
  });
}

// RFC 8410 PKCS#8 wrappings of a 32-byte private key: WebCrypto imports a raw X25519 private key
// or Ed25519 seed only in this form (or as a JWK).
const PKCS8_PREFIX = {
  X25519: fromHex('302e020100300506032b656e04220420'),
  Ed25519: fromHex('302e020100300506032b657004220420'),
};

// The public key comes from an extractable import (WebCrypto derives it only on export); the key
// that is kept is a second, non-extractable import, so test keys behave like production keys.
async function importPrivate(algorithm, usages, secret) {
  const pkcs8 = concat(PKCS8_PREFIX[algorithm.name], secret);
  const extractable = await subtle.importKey('pkcs8', pkcs8, algorithm, true, usages);
  const { x } = await subtle.exportKey('jwk', extractable);
  const privateKey = await subtle.importKey('pkcs8', pkcs8, algorithm, false, usages);
  return { privateKey, publicKey: fromBase64Url(x) };
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// TestSource(seed) of section 1: the stream HMAC(seed, u64(0)) || HMAC(seed, u64(1)) || ...,
// consumed in order. Draws are serialised, so overlapping calls still take consecutive bytes in
// the order they were made.
export function testSource(seed) {
  requireBytes(seed, undefined, 'seed');
  const keyPromise = hmacKey(seed);
  let counter = 0;
  let buffer = new Uint8Array(0);
  let queue = Promise.resolve();

  async function draw(n) {
    const key = await keyPromise;
    while (buffer.length < n) buffer = concat(buffer, await hmacWith(key, u64(counter++)));
    const out = buffer.slice(0, n);
    buffer = buffer.slice(n);
    return out;
  }

  function serialised(fn) {
    const result = queue.then(fn);
    queue = result.catch(() => {});
    return result;
  }

  return Object.freeze({
    newX25519: () => serialised(async () => importPrivate(X25519, X25519_USAGES, await draw(32))),
    newEd25519: () => serialised(async () => importPrivate(ED25519, ED25519_USAGES, await draw(32))),
    bytes: (n) => serialised(() => draw(n)),
  });
}

// A device identity (section 2): an Ed25519 pair for signing, then an X25519 pair for agreement.
// publicKey is the 64-byte IdentityKey signKey || dhKey.
export async function createIdentity(source) {
  const sign = await source.newEd25519();
  const dh = await source.newX25519();
  return { sign, dh, publicKey: concat(sign.publicKey, dh.publicKey) };
}

export const IDENTITY_KEY_LENGTH = 64;

export function parseIdentityKey(identityKey) {
  requireBytes(identityKey, IDENTITY_KEY_LENGTH, 'IdentityKey');
  return { signKey: identityKey.slice(0, 32), dhKey: identityKey.slice(32, 64) };
}
