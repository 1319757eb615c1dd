// Phone number + code linking (section 7.2): an encrypted key exchange in which the 8-symbol code
// shown on the companion authenticates both ephemeral keys.
//
// Messages: the companion's hello (startCodeLink), the primary's reply (answerCodeHello), the
// companion's confirmation (CompanionCodeLink.confirm). The primary must sign nothing before
// PrimaryCodeLink.openConfirm succeeded.

import { Reader, VERSION, ascii, concat, requireBytes, u8 } from './bytes.js';
import { ErrorCode, fail } from './errors.js';
import { IDENTITY_KEY_LENGTH, parseIdentityKey } from './keys.js';
import { CODE_PBKDF2_ITERATIONS, MAX_CONTENT } from './limits.js';
import { requirePlaintextLength } from './messages.js';
import { GCM_TAG_LENGTH, ctr, gcmOpen, gcmSeal, hkdf, pbkdf2, sha256, x25519 } from './primitives.js';

export const CODE_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

const TYPE_CODE_HELLO = 0x20;
const TYPE_CODE_REPLY = 0x21;
const TYPE_CODE_CONFIRM = 0x22;

const HELLO_LENGTH = 130;
const REPLY_HEADER_LENGTH = 34;
const CONFIRM_HEADER_LENGTH = 2;
const ZERO_SALT = new Uint8Array(32);
const INFO_WRAP_COMPANION = ascii('Quintet v1 code wrap companion');
const INFO_WRAP_PRIMARY = ascii('Quintet v1 code wrap primary');
const INFO_LINK = ascii('Quintet v1 code link');
const TRANSCRIPT_LABEL = ascii('Quintet v1 code transcript');

// Five bytes read as eight 5-bit alphabet indices, most significant first.
function codeFromBytes(bytes) {
  let bits = 0;
  for (const b of bytes) bits = bits * 256 + b; // 40 bits: exact in a double, too wide for << and >>
  let code = '';
  for (let i = CODE_LENGTH - 1; i >= 0; i--) code += CODE_ALPHABET[Math.floor(bits / 2 ** (5 * i)) % 32];
  return code;
}

// XXXX-XXXX, as the companion shows the code.
export function formatCode(code) {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

// Removes spaces and '-' and upper-cases ASCII a-z (no other case mapping: Unicode rules would
// turn characters such as U+017F into alphabet symbols). Returns the 8 symbols.
export function normaliseCode(input) {
  if (typeof input !== 'string') fail(ErrorCode.INVALID_CODE, 'the code is not a string');
  let code = '';
  for (const c of input) {
    if (c === ' ' || c === '-') continue;
    const upper = c >= 'a' && c <= 'z' ? c.toUpperCase() : c;
    if (!CODE_ALPHABET.includes(upper)) fail(ErrorCode.INVALID_CODE, 'the code has a character outside its alphabet');
    code += upper;
  }
  if (code.length !== CODE_LENGTH) {
    fail(ErrorCode.INVALID_CODE, `the code has ${code.length} symbols, not ${CODE_LENGTH}`);
  }
  return code;
}

// S: the code stretched with the hello's salt.
function stretch(code, salt) {
  return pbkdf2(ascii(code), salt, CODE_PBKDF2_ITERATIONS, 32);
}

// CTR under one side's wrapping key (wrapping and unwrapping are the same operation).
async function wrap(stretched, info, key32) {
  const out = await hkdf(ZERO_SALT, stretched, info, 48);
  return ctr(out.slice(0, 32), out.slice(32, 48), key32);
}

// Decrypts a wrapped key and clears its top bit: under a wrong code the result is any 32 bytes,
// and it must stay a usable key so that only the final authentication tag tells.
async function unwrap(stretched, info, wrapped) {
  const key = await wrap(stretched, info, wrapped);
  key[31] &= 0x7f;
  return key;
}

// Covers the hello (after its version and type bytes) and the primary's wrapped key exactly as
// sent, so no bit of either can change unnoticed.
function transcript(hello, wrappedPrimaryKey) {
  return sha256(concat(TRANSCRIPT_LABEL, hello.subarray(2), wrappedPrimaryKey));
}

// Returns { replyKey, replyNonce, confirmKey, confirmNonce }.
async function linkKeys(shared, stretched, th) {
  const out = await hkdf(th, concat(shared, stretched), INFO_LINK, 88);
  return {
    replyKey: out.slice(0, 32),
    replyNonce: out.slice(32, 44),
    confirmKey: out.slice(44, 76),
    confirmNonce: out.slice(76, 88),
  };
}

// The companion's side. Draws the code (5 bytes), the salt (32 bytes) and C, in that order.
// Returns a CompanionCodeLink; show its `code` and send its `hello`.
export async function startCodeLink(source, companionIdentityKey) {
  parseIdentityKey(companionIdentityKey);
  const code = codeFromBytes(await source.bytes(5));
  const salt = await source.bytes(32);
  const ephemeral = await source.newX25519();
  const stretched = await stretch(code, salt);
  const wrapped = await wrap(stretched, INFO_WRAP_COMPANION, ephemeral.publicKey);
  const hello = concat(u8(VERSION), u8(TYPE_CODE_HELLO), salt, wrapped, companionIdentityKey);
  return new CompanionCodeLink({ code, ephemeral, stretched, hello });
}

export class CompanionCodeLink {
  #state;
  #keys = null;

  constructor(state) {
    this.#state = state;
  }

  // The code as shown: XXXX-XXXX.
  get code() {
    return formatCode(this.#state.code);
  }

  get hello() {
    return this.#state.hello.slice();
  }

  // Opens the primary's reply; AUTH_FAILED means the code typed on the primary was wrong (or a
  // message was changed).
  async openReply(reply) {
    const reader = Reader.open(reply, 'CodeReply', TYPE_CODE_REPLY, MAX_CONTENT);
    if (reply.length < REPLY_HEADER_LENGTH + GCM_TAG_LENGTH) fail(ErrorCode.MALFORMED, 'CodeReply is truncated');
    const { ephemeral, stretched, hello } = this.#state;
    const wrapped = reader.take(32);
    const primaryKey = await unwrap(stretched, INFO_WRAP_PRIMARY, wrapped);
    const th = await transcript(hello, wrapped);
    const keys = await linkKeys(await x25519(ephemeral.privateKey, primaryKey), stretched, th);
    const payload = await gcmOpen(keys.replyKey, keys.replyNonce, reader.rest(),
      concat(reply.subarray(0, REPLY_HEADER_LENGTH), th));
    this.#keys = { ...keys, th };
    return payload;
  }

  // The confirmation, which proves to the primary that this companion holds the code.
  async confirm(payload) {
    if (!this.#keys) throw new Error('confirm only after the reply opened');
    requireBytes(payload, undefined, 'payload');
    requirePlaintextLength(payload.length);
    const { confirmKey, confirmNonce, th } = this.#keys;
    const header = concat(u8(VERSION), u8(TYPE_CODE_CONFIRM));
    return concat(header, await gcmSeal(confirmKey, confirmNonce, payload, concat(header, th)));
  }
}

// The primary's side, after the user typed the code: draws P and answers the hello with
// replyPayload. Returns a PrimaryCodeLink; send its `reply`.
export async function answerCodeHello(source, typedCode, receivedHello, replyPayload) {
  const code = normaliseCode(typedCode);
  const reader = Reader.open(receivedHello, 'CodeHello', TYPE_CODE_HELLO);
  const hello = receivedHello.slice(); // the transcript covers these bytes even if the caller reuses its array
  if (hello.length !== HELLO_LENGTH) fail(ErrorCode.MALFORMED, `CodeHello of ${hello.length} bytes`);
  const salt = reader.take(32);
  const wrapped = reader.take(32);
  const companionIdentity = reader.take(IDENTITY_KEY_LENGTH);
  requireBytes(replyPayload, undefined, 'payload');
  requirePlaintextLength(replyPayload.length);

  const stretched = await stretch(code, salt);
  const companionKey = await unwrap(stretched, INFO_WRAP_COMPANION, wrapped);
  const ephemeral = await source.newX25519();
  const wrappedOwn = await wrap(stretched, INFO_WRAP_PRIMARY, ephemeral.publicKey);
  const th = await transcript(hello, wrappedOwn);
  const keys = await linkKeys(await x25519(ephemeral.privateKey, companionKey), stretched, th);
  const header = concat(u8(VERSION), u8(TYPE_CODE_REPLY), wrappedOwn);
  const reply = concat(header, await gcmSeal(keys.replyKey, keys.replyNonce, replyPayload, concat(header, th)));
  return new PrimaryCodeLink({ companionIdentity, reply, keys, th });
}

// The companion IdentityKey a hello carries (the primary issues its certificate for it, and trusts
// it only once the companion's confirmation opened under the code). MALFORMED unless a hello.
export function codeHelloIdentity(receivedHello) {
  const reader = Reader.open(receivedHello, 'CodeHello', TYPE_CODE_HELLO);
  if (receivedHello.length !== HELLO_LENGTH) fail(ErrorCode.MALFORMED, `CodeHello of ${receivedHello.length} bytes`);
  reader.take(64);
  return reader.take(IDENTITY_KEY_LENGTH).slice();
}

export class PrimaryCodeLink {
  #state;

  constructor(state) {
    this.#state = state;
  }

  // The companion IdentityKey the hello carried: trust it only once openConfirm succeeded.
  get companionIdentity() {
    return this.#state.companionIdentity.slice();
  }

  get reply() {
    return this.#state.reply.slice();
  }

  async openConfirm(confirm) {
    Reader.open(confirm, 'CodeConfirm', TYPE_CODE_CONFIRM, MAX_CONTENT);
    if (confirm.length < CONFIRM_HEADER_LENGTH + GCM_TAG_LENGTH) fail(ErrorCode.MALFORMED, 'CodeConfirm is truncated');
    const { keys: { confirmKey, confirmNonce }, th } = this.#state;
    return gcmOpen(confirmKey, confirmNonce, confirm.subarray(CONFIRM_HEADER_LENGTH),
      concat(confirm.subarray(0, CONFIRM_HEADER_LENGTH), th));
  }
}
