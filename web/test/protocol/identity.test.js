// identity.json, key sources, prekeys and bundles.
import { bytesEqual, equal, fromHex, ok, rejects, throws } from '../assert.js';
import {
  createIdentity, createOneTimePreKey, createSignedPreKey, encodeBundle, parseBundle, parseOneTimePreKey,
  parseSignedPreKey, secureSource, testSource, verifySignedPreKey,
} from '../../../static/js/protocol/index.js';

const subtle = globalThis.crypto.subtle;

async function hmacBlock(seed, counter) {
  const key = await subtle.importKey('raw', seed, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const block = new Uint8Array(8);
  new DataView(block.buffer).setUint32(4, counter);
  return new Uint8Array(await subtle.sign('HMAC', key, block));
}

export const tests = [
  ['identity.json: identities, prekeys and bundles are recomputed byte for byte', async (ctx) => {
    const v = await ctx.vector('identity');
    ok(v.cases.length > 0, 'cases');
    for (const c of v.cases) {
      const source = testSource(fromHex(c.seed));
      const identity = await createIdentity(source);
      bytesEqual(identity.publicKey, fromHex(c.identity), 'identity');
      const spk = await createSignedPreKey(source, identity, c.signedPreKey.id);
      bytesEqual(spk.record, fromHex(c.signedPreKey.record), 'signed prekey record');
      const oneTime = [];
      for (const o of c.oneTimePreKeys) {
        const otk = await createOneTimePreKey(source, o.id);
        bytesEqual(otk.record, fromHex(o.record), `one-time prekey ${o.id}`);
        oneTime.push(otk);
      }
      bytesEqual(encodeBundle(identity.publicKey, spk.record, oneTime[0].record), fromHex(c.bundle), 'bundle');
      const withoutOneTime = encodeBundle(identity.publicKey, spk.record);
      bytesEqual(withoutOneTime, fromHex(c.bundleWithoutOneTime), 'bundle without one-time prekey');
    }
  }],

  ['identity.json: the outputs parse and verify', async (ctx) => {
    const v = await ctx.vector('identity');
    for (const c of v.cases) {
      const spk = await verifySignedPreKey(fromHex(c.identity), fromHex(c.signedPreKey.record));
      equal(spk.id, c.signedPreKey.id, 'signed prekey id');
      for (const o of c.oneTimePreKeys) equal(parseOneTimePreKey(fromHex(o.record)).id, o.id, 'one-time prekey id');
      const bundle = parseBundle(fromHex(c.bundle));
      bytesEqual(bundle.identityKey, fromHex(c.identity), 'bundle identity');
      equal(bundle.signedPreKey.id, c.signedPreKey.id, 'bundle signed prekey id');
      equal(bundle.oneTimePreKey.id, c.oneTimePreKeys[0].id, 'bundle one-time prekey id');
      equal(parseBundle(fromHex(c.bundleWithoutOneTime)).oneTimePreKey, null, 'bundle without one-time prekey');
    }
  }],

  ['identity.json: every rejection has its code', async (ctx) => {
    const v = await ctx.vector('identity');
    ok(v.rejections.length > 0, 'rejections');
    for (const r of v.rejections) {
      await rejects(verifySignedPreKey(fromHex(r.identity), fromHex(r.signedPreKey)), r.error, r.name);
    }
  }],

  ['TestSource is the HMAC stream, drawn in order and unaligned', async () => {
    const seed = fromHex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
    const stream = new Uint8Array(96);
    for (let i = 0; i < 3; i++) stream.set(await hmacBlock(seed, i), 32 * i);
    const source = testSource(seed);
    bytesEqual(await source.bytes(5), stream.slice(0, 5), 'first draw');
    bytesEqual(await source.bytes(40), stream.slice(5, 45), 'second draw crosses a block');
    // Draws started together still take consecutive bytes in call order.
    const [a, b] = await Promise.all([source.bytes(3), source.bytes(4)]);
    bytesEqual(a, stream.slice(45, 48), 'concurrent draw 1');
    bytesEqual(b, stream.slice(48, 52), 'concurrent draw 2');
  }],

  ['TestSource keys come from the drawn bytes and are not extractable', async () => {
    const seed = new Uint8Array(32).fill(7);
    const first = await testSource(seed).newX25519();
    const again = await testSource(seed).newX25519();
    bytesEqual(first.publicKey, again.publicKey, 'same seed, same key');
    equal(first.privateKey.extractable, false, 'X25519 private key extractable');
    const signing = await testSource(seed).newEd25519();
    equal(signing.privateKey.extractable, false, 'Ed25519 private key extractable');
    equal(signing.publicKey.length, 32, 'Ed25519 public key length');
  }],

  ['secureSource makes non-extractable identities with a 64-byte IdentityKey', async () => {
    const source = secureSource();
    const identity = await createIdentity(source);
    equal(identity.publicKey.length, 64, 'IdentityKey length');
    equal(identity.sign.privateKey.extractable, false, 'signing key extractable');
    equal(identity.dh.privateKey.extractable, false, 'agreement key extractable');
    equal((await source.bytes(70000)).length, 70000, 'a draw above the getRandomValues limit');
    const other = await createIdentity(source);
    ok(!other.publicKey.every((b, i) => b === identity.publicKey[i]), 'two identities differ');
  }],

  ['prekey ids are 1..2^32-1 and a signed prekey verifies only for its owner', async () => {
    const source = secureSource();
    const identity = await createIdentity(source);
    await rejects(createSignedPreKey(source, identity, 0), 'MALFORMED', 'signed prekey id 0');
    await rejects(createOneTimePreKey(source, 2 ** 32), 'MALFORMED', 'one-time prekey id 2^32');
    const spk = await createSignedPreKey(source, identity, 2 ** 32 - 1);
    equal(parseSignedPreKey(spk.record).id, 2 ** 32 - 1, 'largest id');
    await verifySignedPreKey(identity.publicKey, spk.record);
    const other = await createIdentity(source);
    await rejects(verifySignedPreKey(other.publicKey, spk.record), 'BAD_SIGNATURE', 'other identity');
    await rejects(verifySignedPreKey(identity.publicKey.slice(0, 63), spk.record), 'MALFORMED', 'short identity');
  }],

  ['bundle parsing refuses a bad flag, a missing one-time prekey and trailing bytes', async () => {
    const source = secureSource();
    const identity = await createIdentity(source);
    const spk = await createSignedPreKey(source, identity, 1);
    const otk = await createOneTimePreKey(source, 9);
    const bundle = encodeBundle(identity.publicKey, spk.record, otk.record);
    const without = encodeBundle(identity.publicKey, spk.record);
    const flag = without.slice();
    flag[164] = 2;
    throws(() => parseBundle(flag), 'MALFORMED', 'flag 2');
    throws(() => parseBundle(bundle.slice(0, bundle.length - 1)), 'MALFORMED', 'truncated one-time prekey');
    const claimsOneTime = without.slice();
    claimsOneTime[164] = 1;
    throws(() => parseBundle(claimsOneTime), 'MALFORMED', 'flag 1 without a one-time prekey');
    const trailing = new Uint8Array(without.length + 1);
    trailing.set(without);
    throws(() => parseBundle(trailing), 'MALFORMED', 'trailing byte');
    for (let n = 0; n < bundle.length; n++) {
      if (n === without.length) continue; // the one length that is a complete bundle without a one-time prekey
      throws(() => parseBundle(bundle.slice(0, n)), 'MALFORMED', `truncated to ${n}`);
    }
  }],
];
