// The two session messages (sections 5.2 and 5.3) and the size limits of section 9.

import { Reader, VERSION, concat, u32, u8 } from './bytes.js';
import { ErrorCode, ProtocolError, fail } from './errors.js';
import { IDENTITY_KEY_LENGTH } from './keys.js';
import { MAX_CONTENT, MAX_PLAINTEXT } from './limits.js';
import { GCM_TAG_LENGTH } from './primitives.js';


export const TYPE_RATCHET = 0x01;
export const TYPE_PREKEY = 0x02;

const RATCHET_HEADER_LENGTH = 42;
const PREKEY_HEADER_LENGTH = 2 + IDENTITY_KEY_LENGTH + 32 + 4 + 4;

export function requirePlaintextLength(length) {
  if (length > MAX_PLAINTEXT) throw new ProtocolError(ErrorCode.TOO_LARGE, `plaintext of ${length} bytes`);
}

// The type byte of a session message, after its version byte (section 1's order).
export function sessionMessageType(bytes) {
  const reader = Reader.open(bytes, 'session message');
  const type = reader.u8();
  if (type !== TYPE_RATCHET && type !== TYPE_PREKEY) fail(ErrorCode.MALFORMED, `session message type ${type}`);
  return type;
}

export function encodeRatchetHeader(ratchetKey, previousCounter, counter) {
  return concat(u8(VERSION), u8(TYPE_RATCHET), ratchetKey, u32(previousCounter), u32(counter));
}

// Returns { header, ratchetKey, previousCounter, counter, ciphertext }; header is the received
// first 42 bytes, which the ciphertext authenticates.
export function parseRatchetMessage(bytes) {
  const reader = Reader.open(bytes, 'RatchetMessage', TYPE_RATCHET, MAX_CONTENT);
  if (bytes.length < RATCHET_HEADER_LENGTH + GCM_TAG_LENGTH) fail(ErrorCode.MALFORMED, 'RatchetMessage is truncated');
  const ratchetKey = reader.take(32);
  const previousCounter = reader.u32();
  const counter = reader.u32();
  const ciphertext = reader.rest();
  return { header: bytes.slice(0, RATCHET_HEADER_LENGTH), ratchetKey, previousCounter, counter, ciphertext };
}

export function encodePreKeyMessage({ senderIdentity, baseKey, signedPreKeyId, oneTimePreKeyId }, ratchetMessage) {
  return concat(u8(VERSION), u8(TYPE_PREKEY), senderIdentity, baseKey, u32(signedPreKeyId), u32(oneTimePreKeyId),
    ratchetMessage);
}

// Returns { senderIdentity, baseKey, signedPreKeyId, oneTimePreKeyId, message } with message the
// parsed inner RatchetMessage.
export function parsePreKeyMessage(bytes) {
  const reader = Reader.open(bytes, 'PreKeyMessage', TYPE_PREKEY, MAX_CONTENT);
  if (bytes.length < PREKEY_HEADER_LENGTH + RATCHET_HEADER_LENGTH + GCM_TAG_LENGTH) {
    fail(ErrorCode.MALFORMED, 'PreKeyMessage is truncated');
  }
  const senderIdentity = reader.take(IDENTITY_KEY_LENGTH);
  const baseKey = reader.take(32);
  const signedPreKeyId = reader.u32();
  const oneTimePreKeyId = reader.u32();
  if (signedPreKeyId === 0) fail(ErrorCode.MALFORMED, 'PreKeyMessage names signed prekey 0');
  return { senderIdentity, baseKey, signedPreKeyId, oneTimePreKeyId, message: parseRatchetMessage(reader.rest()) };
}
