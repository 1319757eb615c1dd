// Signed and one-time prekeys and the prekey bundle (section 3).

import { Reader, concat, context, readU32, requireBytes, u32, u8 } from './bytes.js';
import { ErrorCode, ProtocolError, fail } from './errors.js';
import { IDENTITY_KEY_LENGTH, parseIdentityKey } from './keys.js';
import { sign, verify } from './primitives.js';

const SIGNED_PREKEY_LENGTH = 100;
const ONE_TIME_PREKEY_LENGTH = 36;

const MAX_ID = 0xffffffff;

function requireId(id) {
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) fail(ErrorCode.MALFORMED, `prekey ids are 1..2^32-1, not ${id}`);
}

function signedBytes(id, publicKey) {
  return concat(context('signed-prekey'), u32(id), publicKey);
}

// Draws the key pair and signs its public half with the identity.
// Returns { id, keyPair, record } with record the 100-byte SignedPreKey.
export async function createSignedPreKey(source, identity, id) {
  requireId(id);
  const keyPair = await source.newX25519();
  const signature = await sign(identity.sign.privateKey, signedBytes(id, keyPair.publicKey));
  return { id, keyPair, record: concat(u32(id), keyPair.publicKey, signature) };
}

// Returns { id, keyPair, record } with record the 36-byte OneTimePreKey.
export async function createOneTimePreKey(source, id) {
  requireId(id);
  const keyPair = await source.newX25519();
  return { id, keyPair, record: concat(u32(id), keyPair.publicKey) };
}

export function parseSignedPreKey(record) {
  requireBytes(record, SIGNED_PREKEY_LENGTH, 'SignedPreKey');
  const id = readU32(record, 0);
  if (id === 0) fail(ErrorCode.MALFORMED, 'signed prekey id 0');
  return { id, publicKey: record.slice(4, 36), signature: record.slice(36, 100) };
}

export function parseOneTimePreKey(record) {
  requireBytes(record, ONE_TIME_PREKEY_LENGTH, 'OneTimePreKey');
  const id = readU32(record, 0);
  if (id === 0) fail(ErrorCode.MALFORMED, 'one-time prekey id 0');
  return { id, publicKey: record.slice(4, 36) };
}

// Checks a signed prekey (record bytes or a parsed one) against its owner's IdentityKey.
// Returns the parsed prekey.
export async function verifySignedPreKey(identityKey, signedPreKey) {
  const { signKey } = parseIdentityKey(identityKey);
  const spk = signedPreKey instanceof Uint8Array ? parseSignedPreKey(signedPreKey) : signedPreKey;
  if (!(await verify(signKey, signedBytes(spk.id, spk.publicKey), spk.signature))) {
    throw new ProtocolError(ErrorCode.BAD_SIGNATURE, `signed prekey ${spk.id} does not verify`);
  }
  return spk;
}

// PreKeyBundle = identity[64] || signedPreKey[100] || hasOneTime:u8 || [oneTimePreKey[36]]
export function encodeBundle(identityKey, signedPreKeyRecord, oneTimePreKeyRecord) {
  parseIdentityKey(identityKey);
  parseSignedPreKey(signedPreKeyRecord);
  if (oneTimePreKeyRecord === undefined || oneTimePreKeyRecord === null) {
    return concat(identityKey, signedPreKeyRecord, u8(0));
  }
  parseOneTimePreKey(oneTimePreKeyRecord);
  return concat(identityKey, signedPreKeyRecord, u8(1), oneTimePreKeyRecord);
}

// Structure only: the signed prekey is verified when a session is initiated with the bundle.
// Returns { identityKey, signedPreKey: { id, publicKey, signature }, oneTimePreKey: { id, publicKey } | null }.
export function parseBundle(bundle) {
  const reader = new Reader(bundle, 'PreKeyBundle');
  const identityKey = reader.take(IDENTITY_KEY_LENGTH);
  const signedPreKey = parseSignedPreKey(reader.take(SIGNED_PREKEY_LENGTH));
  const hasOneTime = reader.u8();
  let oneTimePreKey = null;
  if (hasOneTime === 1) oneTimePreKey = parseOneTimePreKey(reader.take(ONE_TIME_PREKEY_LENGTH));
  else if (hasOneTime !== 0) fail(ErrorCode.MALFORMED, `PreKeyBundle one-time flag ${hasOneTime}`);
  reader.end();
  return { identityKey, signedPreKey, oneTimePreKey };
}

// A responder's private prekeys, kept in memory: the shape acceptSession expects from any store
// (methods may also return promises, e.g. for a store on IndexedDB). Entries are the objects
// createSignedPreKey and createOneTimePreKey return.
export class MemoryPreKeyStore {
  #signed = new Map();
  #oneTime = new Map();

  addSignedPreKey(preKey) {
    this.#signed.set(preKey.id, preKey);
  }

  addOneTimePreKey(preKey) {
    this.#oneTime.set(preKey.id, preKey);
  }

  signedPreKey(id) {
    return this.#signed.get(id)?.keyPair;
  }

  oneTimePreKey(id) {
    return this.#oneTime.get(id)?.keyPair;
  }

  removeOneTimePreKey(id) {
    this.#oneTime.delete(id);
  }

  hasOneTimePreKey(id) {
    return this.#oneTime.has(id);
  }
}
