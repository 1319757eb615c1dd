// Session round trips with secureSource() (non-extractable keys): long out-of-order
// conversations, the skipped-key bounds, replays, snapshots and refusals.
import { bytesEqual, deepEqual, equal, ok, rejects } from '../assert.js';
import {
  MAX_CONTENT, MAX_PLAINTEXT, MAX_PREVIOUS_CHAINS, MAX_SKIP, MAX_SKIPPED_KEYS, Session, acceptSession, encodeBundle,
  initiateSession, secureSource, testSource,
} from '../../../static/js/protocol/index.js';
import { Party, flipped, securePair, sessionPicture, utf8 } from './helpers.js';

const SLOW = { timeout: 180_000 };
const decode = (bytes) => new TextDecoder().decode(bytes);

// A small deterministic generator, so a failing order can be replayed.
function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}


// Set up and one exchange each way: Alice's next message starts a new chain at Bob.
async function established() {
  const { alice, bob } = await securePair();
  await bob.decrypt(await alice.encrypt(utf8('set-up')));
  await alice.decrypt(await bob.encrypt(utf8('reply')));
  return { alice, bob };
}

async function sendMany(party, count, label) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(await party.encrypt(utf8(`${label} ${i}`)));
  return out;
}

async function refusedAndUnchanged(session, message, code, what) {
  const before = sessionPicture(session);
  await rejects(session.decrypt(message), code, what);
  deepEqual(sessionPicture(session), before, `${what}: the session changed`);
}

export const tests = [
  ['a 60-message conversation with out-of-order delivery decrypts every message once', async () => {
    const { alice, bob } = await securePair();
    const next = random(20240601);
    const queues = { alice: [], bob: [] };
    const party = { alice, bob };
    let delivered = 0;
    const deliver = async (to, index) => {
      const [item] = queues[to].splice(index, 1);
      equal(decode(await party[to].decrypt(item.message)), item.text, `${item.text} to ${to}`);
      item.done = true;
      delivered++;
    };
    const all = [];
    for (let i = 0; i < 60; i++) {
      const from = Math.floor(i / 3) % 2 === 0 ? 'alice' : 'bob';
      const to = from === 'alice' ? 'bob' : 'alice';
      // The responder can send only once a first message reached it.
      if (from === 'bob' && !bob.session) await deliver('bob', next(queues.bob.length));
      const text = `message ${i} from ${from}`;
      const item = { text, message: await party[from].encrypt(utf8(text)) };
      queues[to].push(item);
      all.push({ to, ...item });
      if (next(3) === 0) {
        for (const name of ['alice', 'bob']) {
          const count = next(queues[name].length + 1);
          for (let k = 0; k < count; k++) await deliver(name, next(queues[name].length));
        }
      }
    }
    for (const name of ['alice', 'bob']) while (queues[name].length) await deliver(name, next(queues[name].length));
    equal(delivered, 60, 'delivered');
    equal(alice.session.pending, false, 'the initiator is no longer pending');
    for (const { to, message, text } of all) {
      await refusedAndUnchanged(party[to].session, message, 'DUPLICATE', `replay of ${text}`);
    }
    const snapshot = alice.session.snapshot();
    equal(snapshot.sendingRatchet.privateKey.extractable, false, 'ratchet key is not extractable');
  }, SLOW],

  ['MAX_SKIP bounds new and current chains; skipped keys open later, once, in any order', async () => {
    ok(MAX_SKIP === 1000, 'MAX_SKIP');
    const { alice, bob } = await established();
    const chain = await sendMany(alice, MAX_SKIP + 2, 'a');
    await refusedAndUnchanged(bob.session, chain[MAX_SKIP + 1], 'TOO_MANY_SKIPPED', 'new chain, n = MAX_SKIP + 1');
    equal(decode(await bob.decrypt(chain[MAX_SKIP])), `a ${MAX_SKIP}`, 'new chain, n = MAX_SKIP');
    equal(decode(await bob.decrypt(chain[MAX_SKIP + 1])), `a ${MAX_SKIP + 1}`, 'next on the current chain');
    for (let i = MAX_SKIP - 1; i >= 0; i -= 1) equal(decode(await bob.decrypt(chain[i])), `a ${i}`, `skipped ${i}`);
    for (const i of [0, 500, MAX_SKIP + 1]) {
      await refusedAndUnchanged(bob.session, chain[i], 'DUPLICATE', `replay of ${i}`);
    }

    const more = await sendMany(alice, MAX_SKIP + 2, 'b'); // counters MAX_SKIP + 2 ...
    await refusedAndUnchanged(bob.session, more[MAX_SKIP + 1], 'TOO_MANY_SKIPPED',
      'current chain, n - Nr = MAX_SKIP + 1');
    equal(decode(await bob.decrypt(more[MAX_SKIP])), `b ${MAX_SKIP}`, 'current chain, n - Nr = MAX_SKIP');
  }, SLOW],

  ['a new chain whose previous chain would skip more than MAX_SKIP is refused until the gap closes', async () => {
    const { alice, bob } = await established();
    const old = await sendMany(alice, MAX_SKIP + 2, 'old');
    await bob.decrypt(old[0]);
    await alice.decrypt(await bob.encrypt(utf8('ping')));
    const fresh = await alice.encrypt(utf8('on a new chain'));
    await refusedAndUnchanged(bob.session, fresh, 'TOO_MANY_SKIPPED', 'pn - Nr = MAX_SKIP + 1');
    await bob.decrypt(old[1]);
    equal(decode(await bob.decrypt(fresh)), 'on a new chain', 'pn - Nr = MAX_SKIP');
    equal(decode(await bob.decrypt(old[MAX_SKIP + 1])), `old ${MAX_SKIP + 1}`, 'the old chain\'s keys were kept');
  }, SLOW],

  ['the store keeps MAX_SKIPPED_KEYS skipped keys and discards the oldest first', async () => {
    ok(MAX_SKIPPED_KEYS === 2 * MAX_SKIP, 'two full skips fill the store');
    const { alice, bob } = await established();
    const a1 = await sendMany(alice, MAX_SKIP + 1, 'a1');
    await bob.decrypt(a1[MAX_SKIP]); // stores a1 0..999
    await alice.decrypt(await bob.encrypt(utf8('ping 1')));
    const a2 = await sendMany(alice, MAX_SKIP + 1, 'a2');
    await bob.decrypt(a2[MAX_SKIP]); // stores a2 0..999: the store is full
    await alice.decrypt(await bob.encrypt(utf8('ping 2')));
    const a3 = await sendMany(alice, 5, 'a3');
    await bob.decrypt(a3[4]); // stores a3 0..3, discarding a1 0..3
    equal(bob.session.snapshot().skippedKeys.size, MAX_SKIPPED_KEYS, 'stored keys');
    for (let i = 0; i < 4; i++) await refusedAndUnchanged(bob.session, a1[i], 'DUPLICATE', `discarded a1 ${i}`);
    equal(decode(await bob.decrypt(a1[4])), 'a1 4', 'the oldest key kept');
    equal(decode(await bob.decrypt(a2[0])), 'a2 0', 'a key of the second chain');
    equal(decode(await bob.decrypt(a3[0])), 'a3 0', 'a key of the third chain');
  }, SLOW],

  ['replays of replaced chains are DUPLICATE while remembered, then no longer open', async () => {
    ok(MAX_PREVIOUS_CHAINS === 20, 'MAX_PREVIOUS_CHAINS');
    const { alice, bob } = await established();
    const firsts = [];
    for (let round = 0; round <= MAX_PREVIOUS_CHAINS; round++) {
      const message = await alice.encrypt(utf8(`round ${round}`));
      await bob.decrypt(message);
      firsts.push(message);
      await alice.decrypt(await bob.encrypt(utf8(`answer ${round}`)));
    }
    await bob.decrypt(await alice.encrypt(utf8('one more chain')));
    // Bob has replaced 21 of Alice's chains; the latest 20 are remembered.
    await refusedAndUnchanged(bob.session, firsts[1], 'DUPLICATE', 'the oldest remembered chain');
    await refusedAndUnchanged(bob.session, firsts[MAX_PREVIOUS_CHAINS], 'DUPLICATE', 'the latest replaced chain');
    await refusedAndUnchanged(bob.session, firsts[0], 'AUTH_FAILED', 'a forgotten chain');
  }, SLOW],

  ['concurrent calls on one session run in call order', async () => {
    const { alice, bob } = await established();
    const messages = await Promise.all([0, 1, 2, 3, 4].map((i) => alice.encrypt(utf8(`m${i}`))));
    const counters = messages.map((m) => new DataView(m.buffer, m.byteOffset).getUint32(38));
    deepEqual(counters, [0, 1, 2, 3, 4], 'counters follow the call order');
    const order = [3, 0, 4, 1, 2];
    const plaintexts = await Promise.all(order.map((i) => bob.session.decrypt(messages[i])));
    deepEqual(plaintexts.map(decode), order.map((i) => `m${i}`), 'all decrypt');
    const results = await Promise.allSettled([bob.session.decrypt(messages[0]), bob.session.decrypt(messages[0])]);
    deepEqual(results.map((r) => r.reason?.code), ['DUPLICATE', 'DUPLICATE'], 'replays');
  }],

  ['a snapshot survives structuredClone and restores a working session', async () => {
    const { alice, bob } = await established();
    await bob.decrypt(await alice.encrypt(utf8('before the snapshot')));
    const early = await alice.encrypt(utf8('skipped, delivered after the restore'));
    await bob.decrypt(await alice.encrypt(utf8('stores one skipped key')));
    const snapshot = structuredClone(bob.session.snapshot());
    equal(snapshot.skippedKeys.size, 1, 'skipped key in the snapshot');
    const restored = Session.restore(bob.source, snapshot);
    const picture = sessionPicture(restored);
    deepEqual(picture, sessionPicture(bob.session), 'restored state');
    snapshot.rootKey[0] ^= 1;
    deepEqual(sessionPicture(restored), picture, 'the restored session does not share the snapshot');
    equal(decode(await restored.decrypt(early)), 'skipped, delivered after the restore', 'skipped key');
    const answer = await restored.encrypt(utf8('from the restored session'));
    equal(decode(await alice.decrypt(answer)), 'from the restored session', 'answer');
    equal(decode(await restored.decrypt(await alice.encrypt(utf8('and back')))), 'and back', 'and back');
    bytesEqual(restored.remoteIdentity, alice.identity.publicKey, 'remote identity');
  }],

  ['plaintexts and messages over the limits are TOO_LARGE and change nothing', async () => {
    const { alice, bob } = await established();
    await rejects(alice.session.encrypt(new Uint8Array(MAX_PLAINTEXT + 1)), 'TOO_LARGE', 'plaintext');
    const largest = await alice.encrypt(new Uint8Array(MAX_PLAINTEXT).fill(7));
    equal(new DataView(largest.buffer).getUint32(38), 0, 'the refused plaintext used no message key');
    equal((await bob.decrypt(largest)).length, MAX_PLAINTEXT, 'the largest plaintext');
    const tooLong = new Uint8Array(MAX_CONTENT + 1);
    tooLong.set(largest);
    await refusedAndUnchanged(bob.session, tooLong, 'TOO_LARGE', 'message over MAX_CONTENT');
    const empty = await alice.encrypt(new Uint8Array(0));
    equal((await bob.decrypt(empty)).length, 0, 'an empty plaintext');
  }],

  ['initiating refuses a bad bundle; a bad signature or structure before drawing anything', async () => {
    const seed = new Uint8Array(32).fill(9);
    const alice = await Party.create(testSource(seed));
    const bob = await Party.create(secureSource());
    await bob.makePreKeys(5, 6);
    const good = bob.bundle();
    const initiate = (bundle) => initiateSession(alice.source, alice.identity, bundle);
    await rejects(initiate(flipped(good, 64 + 40, 1)), 'BAD_SIGNATURE', 'signature');
    await rejects(initiate(good.slice(0, 200)), 'MALFORMED', 'truncated bundle');
    // Those checks come before the base key is drawn: the next key is the one a fresh source
    // draws after the identity.
    const twin = await Party.create(testSource(seed));
    bytesEqual((await alice.source.newX25519()).publicKey, (await twin.source.newX25519()).publicKey, 'next draw');
    // The one-time prekey is not signed; a small-order or non-canonical one fails the agreement.
    const zeroOneTime = good.slice();
    zeroOneTime.fill(0, 64 + 100 + 1 + 4);
    await rejects(initiate(zeroOneTime), 'INVALID_KEY', 'small-order one-time prekey');
    await rejects(initiate(flipped(good, good.length - 1, 0x80)), 'INVALID_KEY', 'one-time prekey with bit 255 set');
  }],

  ['accepting refuses a ratchet message, unknown prekeys and a changed sender', async () => {
    const { alice, bob } = await securePair();
    const first = await alice.encrypt(utf8('first'));
    const unknownOneTime = first.slice();
    new DataView(unknownOneTime.buffer).setUint32(102, 77);
    await rejects(bob.accept(unknownOneTime), 'UNKNOWN_PREKEY', 'one-time prekey 77');
    const unknownSigned = first.slice();
    new DataView(unknownSigned.buffer).setUint32(98, 2);
    await rejects(bob.accept(unknownSigned), 'UNKNOWN_PREKEY', 'signed prekey 2');
    await rejects(bob.accept(first.slice(106)), 'NO_SESSION', 'a ratchet message without a session');
    const other = await Party.create(secureSource());
    const changedSender = first.slice();
    changedSender.set(other.identity.publicKey, 2);
    await rejects(bob.accept(changedSender), 'AUTH_FAILED', 'another sender identity');
    ok(bob.store.hasOneTimePreKey(1), 'the one-time prekey is still held');
    const accepted = await acceptSession(bob.source, bob.identity, bob.store, first);
    bytesEqual(accepted.remoteIdentity, alice.identity.publicKey, 'remote identity');
    bytesEqual(accepted.session.baseKey, first.slice(66, 98), 'base key');
    await rejects(accepted.session.decrypt(changedSender), 'WRONG_SESSION', 'same base key, another sender');
  }],

  ['a bundle without a one-time prekey sets up a session', async () => {
    const source = secureSource();
    const alice = await Party.create(source);
    const bob = await Party.create(source);
    await bob.makePreKeys(3, 0);
    const bundle = encodeBundle(bob.identity.publicKey, bob.signedPreKey.record);
    const session = await initiateSession(source, alice.identity, bundle);
    const message = await session.encrypt(utf8('no one-time prekey'));
    equal(new DataView(message.buffer).getUint32(102), 0, 'one-time prekey id 0');
    equal(decode(await bob.decrypt(message)), 'no one-time prekey', 'accepted');
  }],
];
