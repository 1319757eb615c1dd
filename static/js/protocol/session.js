// Session set-up (section 4, X3DH) and the Double Ratchet (section 5).
//
// Session state holds private ratchet keys as CryptoKey objects and chain keys as byte arrays;
// byte arrays in the state are never modified in place, only replaced, so a shallow copy of the
// state is an independent working copy for a transaction.

import { ascii, bytesEqual, concat, requireBytes, toHex } from './bytes.js';
import { ErrorCode, ProtocolError, fail } from './errors.js';
import { parseIdentityKey } from './keys.js';
import {
  TYPE_PREKEY, TYPE_RATCHET, encodePreKeyMessage, encodeRatchetHeader, parsePreKeyMessage, parseRatchetMessage,
  requirePlaintextLength, sessionMessageType,
} from './messages.js';
import { parseBundle, verifySignedPreKey } from './prekeys.js';
import { MAX_PREVIOUS_CHAINS, MAX_SKIP, MAX_SKIPPED_KEYS } from './limits.js';
import { gcmOpen, gcmSeal, hkdf, hmacKey, hmacWith, x25519 } from './primitives.js';

const ZERO_SALT = new Uint8Array(32);
const X3DH_PREFIX = new Uint8Array(32).fill(0xff);
const INFO_X3DH = ascii('Quintet v1 x3dh');
const INFO_RATCHET = ascii('Quintet v1 ratchet');
const INFO_MESSAGE_KEYS = ascii('Quintet v1 message keys');
const CHAIN_MESSAGE = Uint8Array.of(0x01);
const CHAIN_NEXT = Uint8Array.of(0x02);

async function kdfRootKey(rootKey, dhOutput) {
  const out = await hkdf(rootKey, dhOutput, INFO_RATCHET, 64);
  return [out.slice(0, 32), out.slice(32, 64)];
}

// Returns [messageKey, nextChainKey].
async function kdfChainKey(chainKey) {
  const key = await hmacKey(chainKey);
  return Promise.all([hmacWith(key, CHAIN_MESSAGE), hmacWith(key, CHAIN_NEXT)]);
}

async function messageKeys(messageKey) {
  const out = await hkdf(ZERO_SALT, messageKey, INFO_MESSAGE_KEYS, 44);
  return { key: out.slice(0, 32), nonce: out.slice(32, 44) };
}

async function x3dhSecret(dh1, dh2, dh3, dh4) {
  const ikm = dh4 ? concat(X3DH_PREFIX, dh1, dh2, dh3, dh4) : concat(X3DH_PREFIX, dh1, dh2, dh3);
  return hkdf(ZERO_SALT, ikm, INFO_X3DH, 32);
}

function skippedId(ratchetKey, counter) {
  return `${toHex(ratchetKey)}/${counter}`;
}

function copyState(state) {
  return {
    ...state,
    skippedKeys: new Map(state.skippedKeys),
    previousReceivingRatchets: state.previousReceivingRatchets.slice(),
  };
}

// One Double Ratchet session between two devices. Operations on one session run one at a time,
// in call order; a refused message leaves the session exactly as it was.
export class Session {
  #source;
  #state;
  #queue = Promise.resolve();

  constructor(source, state) {
    this.#source = source;
    this.#state = state;
  }

  // A copy of the session that structuredClone and IndexedDB can store: plain objects, numbers,
  // byte arrays, a Map and (non-extractable) CryptoKey objects.
  snapshot() {
    return structuredClone(this.#state);
  }

  // source is the key source for the ratchet keys the session draws from now on.
  static restore(source, snapshot) {
    return new Session(source, structuredClone(snapshot));
  }

  // The other device's 64-byte IdentityKey.
  get remoteIdentity() {
    return this.#state.remoteIdentity.slice();
  }

  // The initiator's base key EK_A.pub, which names the session set-up on both sides.
  get baseKey() {
    return this.#state.setup.baseKey.slice();
  }

  // True until the initiator decrypted a first message from the responder.
  get pending() {
    return this.#state.pending;
  }

  encrypt(plaintext) {
    return this.#exclusive(async () => {
      requireBytes(plaintext, undefined, 'plaintext');
      requirePlaintextLength(plaintext.length);
      const state = this.#state;
      const [messageKey, nextChain] = await kdfChainKey(state.sendingChain);
      const header = encodeRatchetHeader(state.sendingRatchet.publicKey, state.previousSendCounter, state.sendCounter);
      const { key, nonce } = await messageKeys(messageKey);
      const message = concat(header, await gcmSeal(key, nonce, plaintext, concat(state.associatedData, header)));
      this.#state = { ...state, sendingChain: nextChain, sendCounter: state.sendCounter + 1 };
      return state.pending ? encodePreKeyMessage(state.setup, message) : message;
    });
  }

  // Decrypts a RatchetMessage, or a PreKeyMessage of this session's own set-up (a responder
  // still receives those until the initiator has seen a reply).
  decrypt(message) {
    return this.#exclusive(async () => {
      let ratchetMessage;
      if (sessionMessageType(message) === TYPE_PREKEY) {
        const preKeyMessage = parsePreKeyMessage(message);
        this.#requireOwnSetup(preKeyMessage);
        ratchetMessage = preKeyMessage.message;
      } else {
        ratchetMessage = parseRatchetMessage(message);
      }
      const working = copyState(this.#state);
      const plaintext = await decryptRatchet(working, ratchetMessage, this.#source);
      this.#state = working;
      return plaintext;
    });
  }

  // Every outer field of a PreKeyMessage took part in the set-up; a message that differs in any
  // of them belongs to another session (or was altered), even when its base key matches.
  #requireOwnSetup(message) {
    const { initiator, setup } = this.#state;
    const same = !initiator &&
      bytesEqual(message.baseKey, setup.baseKey) &&
      bytesEqual(message.senderIdentity, setup.senderIdentity) &&
      message.signedPreKeyId === setup.signedPreKeyId &&
      message.oneTimePreKeyId === setup.oneTimePreKeyId;
    if (!same) fail(ErrorCode.WRONG_SESSION, 'PreKeyMessage of another session');
  }

  #exclusive(operation) {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }
}

// Section 5.5 on a working copy of the state; the caller commits it only when this resolves.
async function decryptRatchet(state, message, source) {
  const { ratchetKey, previousCounter: pn, counter: n } = message;

  const id = skippedId(ratchetKey, n);
  const skipped = state.skippedKeys.get(id);
  if (skipped) {
    const plaintext = await open(state, skipped, message);
    state.skippedKeys.delete(id);
    state.pending = false;
    return plaintext;
  }

  if (state.receivingChain && bytesEqual(ratchetKey, state.receivingRatchet)) {
    if (n < state.receiveCounter) fail(ErrorCode.DUPLICATE, 'message key already used or discarded');
    if (n - state.receiveCounter > MAX_SKIP) fail(ErrorCode.TOO_MANY_SKIPPED, `message ${n} skips too far`);
    const chain = await skipKeys(state, state.receivingRatchet, state.receivingChain, state.receiveCounter, n);
    const [messageKey, nextChain] = await kdfChainKey(chain);
    const plaintext = await open(state, messageKey, message);
    state.receivingChain = nextChain;
    state.receiveCounter = n + 1;
    state.pending = false;
    return plaintext;
  }

  if (state.previousReceivingRatchets.some((previous) => bytesEqual(previous, ratchetKey))) {
    fail(ErrorCode.DUPLICATE, 'message of a replaced receiving chain');
  }

  // A new ratchet key. Both bounds are checked before any key is derived.
  if (state.receivingChain && pn - state.receiveCounter > MAX_SKIP) {
    fail(ErrorCode.TOO_MANY_SKIPPED, 'previous chain skips too far');
  }
  if (n > MAX_SKIP) fail(ErrorCode.TOO_MANY_SKIPPED, `message ${n} skips too far`);
  if (state.receivingChain) {
    await skipKeys(state, state.receivingRatchet, state.receivingChain, state.receiveCounter, pn);
  }
  if (state.receivingRatchet) {
    state.previousReceivingRatchets.push(state.receivingRatchet);
    if (state.previousReceivingRatchets.length > MAX_PREVIOUS_CHAINS) state.previousReceivingRatchets.shift();
  }
  state.receivingRatchet = ratchetKey;
  let receivingChain;
  const shared = await x25519(state.sendingRatchet.privateKey, ratchetKey);
  [state.rootKey, receivingChain] = await kdfRootKey(state.rootKey, shared);
  const chain = await skipKeys(state, ratchetKey, receivingChain, 0, n);
  const [messageKey, nextChain] = await kdfChainKey(chain);
  const plaintext = await open(state, messageKey, message);
  state.receivingChain = nextChain;
  state.receiveCounter = n + 1;

  // The message is authentic: only now draw the next sending ratchet key.
  state.previousSendCounter = state.sendCounter;
  state.sendCounter = 0;
  state.sendingRatchet = await source.newX25519();
  [state.rootKey, state.sendingChain] = await kdfRootKey(state.rootKey,
    await x25519(state.sendingRatchet.privateKey, ratchetKey));
  state.pending = false;
  return plaintext;
}

// Stores the message keys from..to-1 of a chain, oldest first, discarding the oldest stored keys
// beyond MAX_SKIPPED_KEYS; returns the chain key at `to`.
async function skipKeys(state, ratchetKey, chainKey, from, to) {
  let chain = chainKey;
  for (let i = from; i < to; i++) {
    let messageKey;
    [messageKey, chain] = await kdfChainKey(chain);
    state.skippedKeys.set(skippedId(ratchetKey, i), messageKey);
  }
  for (const oldest of state.skippedKeys.keys()) {
    if (state.skippedKeys.size <= MAX_SKIPPED_KEYS) break;
    state.skippedKeys.delete(oldest);
  }
  return chain;
}

async function open(state, messageKey, message) {
  const { key, nonce } = await messageKeys(messageKey);
  return gcmOpen(key, nonce, message.ciphertext, concat(state.associatedData, message.header));
}

// The initiator's side of section 4: verifies the bundle's signed prekey and starts a pending
// session. The caller must already trust the bundle's IdentityKey (from a verified device list).
export async function initiateSession(source, identity, bundle) {
  const { identityKey, signedPreKey, oneTimePreKey } = parseBundle(bundle);
  await verifySignedPreKey(identityKey, signedPreKey);
  const { dhKey } = parseIdentityKey(identityKey);
  const base = await source.newX25519();
  // Independent agreements, computed concurrently; none of them draws randomness.
  const [dh1, dh2, dh3, dh4] = await Promise.all([
    x25519(identity.dh.privateKey, signedPreKey.publicKey),
    x25519(base.privateKey, dhKey),
    x25519(base.privateKey, signedPreKey.publicKey),
    oneTimePreKey ? x25519(base.privateKey, oneTimePreKey.publicKey) : null,
  ]);
  const secret = await x3dhSecret(dh1, dh2, dh3, dh4);

  const sendingRatchet = await source.newX25519();
  const [rootKey, sendingChain] = await kdfRootKey(secret,
    await x25519(sendingRatchet.privateKey, signedPreKey.publicKey));
  return new Session(source, {
    initiator: true,
    associatedData: concat(identity.publicKey, identityKey),
    remoteIdentity: identityKey,
    setup: {
      senderIdentity: identity.publicKey,
      baseKey: base.publicKey,
      signedPreKeyId: signedPreKey.id,
      oneTimePreKeyId: oneTimePreKey ? oneTimePreKey.id : 0,
    },
    pending: true,
    rootKey,
    sendingRatchet,
    sendingChain,
    sendCounter: 0,
    previousSendCounter: 0,
    receivingRatchet: signedPreKey.publicKey,
    receivingChain: null,
    receiveCounter: 0,
    skippedKeys: new Map(),
    previousReceivingRatchets: [],
  });
}

// The responder's side of section 4, for a PreKeyMessage that names no session the device
// already has. preKeys is a store with signedPreKey(id), oneTimePreKey(id) (each returning the
// key pair or undefined, possibly through a promise) and removeOneTimePreKey(id), which is
// called only once the first message decrypted. Returns { session, plaintext, remoteIdentity };
// the caller must check that remoteIdentity belongs to the sending device's verified list.
// Calls that share a store must not overlap, or two could use the same one-time prekey.
export async function acceptSession(source, identity, preKeys, message) {
  if (sessionMessageType(message) === TYPE_RATCHET) fail(ErrorCode.NO_SESSION, 'RatchetMessage without a session');
  const preKeyMessage = parsePreKeyMessage(message);
  const { senderIdentity, baseKey, signedPreKeyId, oneTimePreKeyId } = preKeyMessage;
  const signed = await preKeys.signedPreKey(signedPreKeyId);
  if (!signed) throw new ProtocolError(ErrorCode.UNKNOWN_PREKEY, `signed prekey ${signedPreKeyId}`);
  let oneTime = null;
  if (oneTimePreKeyId !== 0) {
    oneTime = await preKeys.oneTimePreKey(oneTimePreKeyId);
    if (!oneTime) throw new ProtocolError(ErrorCode.UNKNOWN_PREKEY, `one-time prekey ${oneTimePreKeyId}`);
  }

  const { dhKey } = parseIdentityKey(senderIdentity);
  const [dh1, dh2, dh3, dh4] = await Promise.all([
    x25519(signed.privateKey, dhKey),
    x25519(identity.dh.privateKey, baseKey),
    x25519(signed.privateKey, baseKey),
    oneTime ? x25519(oneTime.privateKey, baseKey) : null,
  ]);
  const state = {
    initiator: false,
    associatedData: concat(senderIdentity, identity.publicKey),
    remoteIdentity: senderIdentity,
    setup: { senderIdentity, baseKey, signedPreKeyId, oneTimePreKeyId },
    pending: false,
    rootKey: await x3dhSecret(dh1, dh2, dh3, dh4),
    sendingRatchet: signed,
    sendingChain: null,
    sendCounter: 0,
    previousSendCounter: 0,
    receivingRatchet: null,
    receivingChain: null,
    receiveCounter: 0,
    skippedKeys: new Map(),
    previousReceivingRatchets: [],
  };
  const plaintext = await decryptRatchet(state, preKeyMessage.message, source);
  if (oneTime) await preKeys.removeOneTimePreKey(oneTimePreKeyId);
  return { session: new Session(source, state), plaintext, remoteIdentity: senderIdentity };
}
