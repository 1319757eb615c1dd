// Shared helpers for the protocol tests (not a test file itself).
import { fromHex } from '../assert.js';
import {
  MemoryPreKeyStore, acceptSession, createIdentity, createOneTimePreKey, createSignedPreKey, encodeBundle,
  initiateSession, secureSource, testSource,
} from '../../../static/js/protocol/index.js';

export const utf8 = (text) => new TextEncoder().encode(text);

export function flipped(bytes, index, mask) {
  const out = bytes.slice();
  out[index] ^= mask;
  return out;
}

// One device in a conversation, drawing from its own source (TestSource(seed) or secureSource()),
// like the vector generator's parties: identity first, then prekeys, then whatever the session draws.
export class Party {
  static async create(source) {
    const party = new Party();
    party.source = source;
    party.identity = await createIdentity(source);
    party.store = new MemoryPreKeyStore();
    party.session = null;
    return party;
  }

  static fromSeed(seedHex) {
    return Party.create(testSource(fromHex(seedHex)));
  }

  async makePreKeys(signedId, oneTimeId) {
    this.signedPreKey = await createSignedPreKey(this.source, this.identity, signedId);
    this.store.addSignedPreKey(this.signedPreKey);
    this.oneTimePreKey = null;
    if (oneTimeId !== 0) {
      this.oneTimePreKey = await createOneTimePreKey(this.source, oneTimeId);
      this.store.addOneTimePreKey(this.oneTimePreKey);
    }
  }

  bundle() {
    return encodeBundle(this.identity.publicKey, this.signedPreKey.record, this.oneTimePreKey?.record);
  }

  async initiate(responder) {
    this.session = await initiateSession(this.source, this.identity, responder.bundle());
  }

  encrypt(plaintext) {
    return this.session.encrypt(plaintext);
  }

  // The first message to a responder without a session is an X3DH accept.
  async decrypt(message) {
    if (this.session) return this.session.decrypt(message);
    const accepted = await this.accept(message);
    this.session = accepted.session;
    return accepted.plaintext;
  }

  accept(message) {
    return acceptSession(this.source, this.identity, this.store, message);
  }
}

// A comparable picture of a session snapshot: Maps become entry arrays and CryptoKeys their
// visible properties (the public key bytes next to each private key are compared as they are).
export function comparable(value) {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, comparable(v)]);
  if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
    const { algorithm, type, extractable, usages } = value;
    return { cryptoKey: algorithm.name, type, extractable, usages: [...usages].sort() };
  }
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(comparable);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
}

export function sessionPicture(session) {
  return comparable(session.snapshot());
}

// Alice and Bob with secure keys; Alice holds a pending session to Bob's prekeys 1 and 1.
export async function securePair() {
  const source = secureSource();
  const alice = await Party.create(source);
  const bob = await Party.create(source);
  await bob.makePreKeys(1, 1);
  await alice.initiate(bob);
  return { alice, bob };
}
