// session.json: X3DH set-up and Double Ratchet, replayed byte for byte from the vector's seeds.
import { bytesEqual, deepEqual, equal, fromHex, ok, rejects } from '../assert.js';
import { Party, sessionPicture } from './helpers.js';

// Plays script ops against the parties; sends must produce the vector's bytes exactly.
async function play(ops, parties, sent) {
  for (const op of ops) {
    if (op.op === 'send') {
      const plaintext = fromHex(op.plaintext);
      const message = await parties[op.from].encrypt(plaintext);
      bytesEqual(message, fromHex(op.message), `send ${op.id} from ${op.from}`);
      sent.set(op.id, { plaintext, message });
    } else if (op.op === 'receive') {
      const { plaintext, message } = sent.get(op.id);
      bytesEqual(await parties[op.to].decrypt(message), plaintext, `receive ${op.id} by ${op.to}`);
    } else {
      throw new Error(`unknown script op ${op.op}`);
    }
  }
}

async function setUp(c) {
  const alice = await Party.fromSeed(c.alice.seed);
  const bob = await Party.fromSeed(c.bob.seed);
  await bob.makePreKeys(c.signedPreKeyId, c.oneTimePreKeyId);
  await alice.initiate(bob);
  return { alice, bob };
}

export const tests = [
  ['session.json: scripts replay byte for byte, rejections change nothing, and the rest still plays', async (ctx) => {
    const v = await ctx.vector('session');
    ok(v.cases.length > 0, 'cases');
    for (const c of v.cases) {
      const parties = await setUp(c);
      const sent = new Map();
      await play(c.script, parties, sent);
      ok(c.rejections.length > 0, `${c.name}: rejections`);
      for (const r of c.rejections) {
        const party = parties[r.to];
        const before = sessionPicture(party.session);
        const oneTimeIds = party.oneTimePreKey ? [party.oneTimePreKey.id] : [];
        const held = oneTimeIds.map((id) => party.store.hasOneTimePreKey(id));
        const message = fromHex(r.message);
        const attempt = r.via === 'accept' ? party.accept(message) : party.session.decrypt(message);
        await rejects(attempt, r.error, `${c.name}: ${r.name}`);
        deepEqual(sessionPicture(party.session), before, `${c.name}: ${r.name} changed the session`);
        const stillHeld = oneTimeIds.map((id) => party.store.hasOneTimePreKey(id));
        deepEqual(stillHeld, held, `${c.name}: ${r.name} changed the prekeys`);
      }
      // The sends in `after` reproduce the vector's bytes only if no rejection drew randomness.
      await play(c.after, parties, sent);
    }
  }, { timeout: 120_000 }],

  ['session.json: the responder deletes the one-time prekey after the set-up, not the signed one', async (ctx) => {
    const v = await ctx.vector('session');
    const c = v.cases.find((x) => x.oneTimePreKeyId !== 0);
    ok(c, 'a case with a one-time prekey');
    const parties = await setUp(c);
    ok(parties.bob.store.hasOneTimePreKey(c.oneTimePreKeyId), 'held before');
    const firstReceive = c.script.findIndex((op) => op.op === 'receive' && op.to === 'bob');
    await play(c.script.slice(0, firstReceive + 1), parties, new Map());
    equal(parties.bob.store.hasOneTimePreKey(c.oneTimePreKeyId), false, 'deleted after the set-up');
    ok(parties.bob.store.signedPreKey(c.signedPreKeyId), 'the signed prekey is kept');
  }, { timeout: 60_000 }],
];
