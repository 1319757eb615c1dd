// Every byte of a sample of each message type, flipped (XOR 0x01 and XOR 0x80), and every
// truncation: each must be refused with the code its position calls for, and change nothing.
import { bytesEqual, deepEqual, equal, ok, rejects, throws } from '../assert.js';
import {
  answerCodeHello, counterSignDeviceCert, createIdentity, createProvisioningKey, decodeEnvelope, encodeEnvelope,
  issueDeviceCert, normaliseCode, openProvisioning, parseDeviceCert, sealProvisioning, secureSource, signDeviceList,
  startCodeLink, verifyDeviceList,
} from '../../../static/js/protocol/index.js';
import { concat, context, readU32, u64 } from '../../../static/js/protocol/bytes.js';
import { sign } from '../../../static/js/protocol/primitives.js';
import { Party, flipped, securePair, sessionPicture, utf8 } from './helpers.js';

const MASKS = [0x01, 0x80];

// Bit 255 of an X25519 public key (bit 7 of its last byte) is refused by the agreement itself.
const isTopBit = (keyStart, index, mask) => index === keyStart + 31 && mask === 0x80;
const MAX_SKIP = 1000;
const T0 = 1_790_000_000_000;
const SLOW = { timeout: 180_000 };

// Runs check(index, mask, tampered) for every byte and mask; returns the number of cases.
async function forEveryFlip(bytes, check) {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    for (const mask of MASKS) {
      await check(i, mask, flipped(bytes, i, mask));
      count++;
    }
  }
  return count;
}

// The code a flipped counter n (u32 at `offset`) must give on the receiving chain, when the
// receiver expects exactly n next.
function counterCode(message, offset, index, mask, expected) {
  const counter = readU32(flipped(message, index, mask), offset);
  if (counter < expected) return 'DUPLICATE';
  if (counter - expected > MAX_SKIP) return 'TOO_MANY_SKIPPED';
  return 'AUTH_FAILED';
}

// A new-chain message's counter n: above MAX_SKIP it is refused before any key is derived.
function newChainCounterCode(message, offset, index, mask) {
  return readU32(flipped(message, index, mask), offset) > MAX_SKIP ? 'TOO_MANY_SKIPPED' : 'AUTH_FAILED';
}

// Codes for a RatchetMessage at `base` (0, or 106 inside a PreKeyMessage). counterCheck gives
// the code for a flipped counter byte.
function ratchetCode(message, base, index, mask, counterCheck) {
  const at = index - base;
  if (at === 0) return 'UNSUPPORTED_VERSION';
  if (at === 1) return 'MALFORMED';
  if (at >= 38 && at < 42) return counterCheck(message, base + 38, index, mask);
  if (isTopBit(base + 2, index, mask)) return 'INVALID_KEY'; // taken for a new ratchet key
  return 'AUTH_FAILED'; // ratchet key, previous counter, ciphertext and tag
}


async function refusedAndUnchanged(session, message, code, what) {
  const before = sessionPicture(session);
  await rejects(session.decrypt(message), code, what);
  deepEqual(sessionPicture(session), before, `${what}: the session changed`);
}

function sameField(a, b) {
  if (a instanceof Uint8Array) return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

function truncations(bytes) {
  return Array.from({ length: bytes.length }, (_, n) => bytes.slice(0, n));
}

async function codeLinkParties() {
  const source = secureSource();
  const identity = await createIdentity(source);
  const companion = await startCodeLink(source, identity.publicKey);
  const primary = await answerCodeHello(source, companion.code, companion.hello, utf8('reply payload'));
  return { source, companion, primary };
}

// A device list signed over whatever certificates it is given (even broken ones), so that the
// certificate checks are reached.
async function signedListOf(account, certs) {
  const body = concat(Uint8Array.of(1), account.sign.publicKey, u64(2), u64(T0), Uint8Array.of(certs.length), ...certs);
  return concat(body, await sign(account.sign.privateKey, concat(context('device-list'), body)));
}

async function deviceListFixture() {
  const source = secureSource();
  const account = await createIdentity(source);
  const certFor = async (device, id) =>
    counterSignDeviceCert(device, await issueDeviceCert(account, id, device.publicKey, T0));
  const certs = [await certFor(account, 1)];
  for (const id of [2, 3]) certs.push(await certFor(await createIdentity(source), id));
  return { account, certs };
}

export const tests = [
  ['RatchetMessage: every flipped byte is refused with its code and changes nothing', async () => {
    const { alice, bob } = await securePair();
    await bob.decrypt(await alice.encrypt(utf8('set-up')));
    await alice.decrypt(await bob.encrypt(utf8('reply')));
    await bob.decrypt(await alice.encrypt(utf8('first on the chain')));
    const message = await alice.encrypt(utf8('the sample'));
    equal(message[1], 1, 'a RatchetMessage');
    const expectedCounter = readU32(message, 38);
    const count = await forEveryFlip(message, (i, mask, tampered) => refusedAndUnchanged(bob.session, tampered,
      ratchetCode(message, 0, i, mask, (m, offset, idx, msk) => counterCode(m, offset, idx, msk, expectedCounter)),
      `byte ${i} ^ ${mask}`));
    equal(count, message.length * 2, 'cases');
    bytesEqual(await bob.decrypt(message), utf8('the sample'), 'the original still decrypts');
  }, SLOW],

  ['PreKeyMessage, new session: every flipped byte is refused with its code and keeps the prekeys', async () => {
    const { alice, bob } = await securePair();
    const message = await alice.encrypt(utf8('the first message'));
    equal(message[1], 2, 'a PreKeyMessage');
    const codeAt = (i, mask) => {
      if (i === 0) return 'UNSUPPORTED_VERSION';
      if (i === 1) return 'MALFORMED';
      if (i >= 98 && i < 102) return readU32(flipped(message, i, mask), 98) === 0 ? 'MALFORMED' : 'UNKNOWN_PREKEY';
      if (i >= 102 && i < 106) return readU32(flipped(message, i, mask), 102) === 0 ? 'AUTH_FAILED' : 'UNKNOWN_PREKEY';
      if (isTopBit(2 + 32, i, mask) || isTopBit(66, i, mask)) return 'INVALID_KEY'; // identity dhKey, base key
      if (i < 106) return 'AUTH_FAILED'; // sender identity and base key feed the agreement and the AD
      return ratchetCode(message, 106, i, mask, newChainCounterCode);
    };
    await forEveryFlip(message, async (i, mask, tampered) => {
      await rejects(bob.accept(tampered), codeAt(i, mask), `byte ${i} ^ ${mask}`);
      ok(bob.store.hasOneTimePreKey(1), `byte ${i} ^ ${mask}: the one-time prekey is still held`);
    });
    bytesEqual(await bob.decrypt(message), utf8('the first message'), 'the original still opens');
    equal(bob.store.hasOneTimePreKey(1), false, 'and then the one-time prekey is gone');
  }, SLOW],

  ['PreKeyMessage, existing session: every flipped byte is refused with its code and changes nothing', async () => {
    const { alice, bob } = await securePair();
    await bob.decrypt(await alice.encrypt(utf8('the first message')));
    const message = await alice.encrypt(utf8('still pending'));
    equal(message[1], 2, 'a PreKeyMessage');
    const expectedCounter = readU32(message, 106 + 38);
    const codeAt = (i, mask) => {
      if (i === 0) return 'UNSUPPORTED_VERSION';
      if (i === 1) return 'MALFORMED';
      if (i >= 98 && i < 102 && readU32(flipped(message, i, mask), 98) === 0) return 'MALFORMED';
      if (i < 106) return 'WRONG_SESSION'; // every outer field names the session's set-up
      return ratchetCode(message, 106, i, mask,
        (m, offset, idx, msk) => counterCode(m, offset, idx, msk, expectedCounter));
    };
    await forEveryFlip(message, (i, mask, tampered) => refusedAndUnchanged(bob.session, tampered, codeAt(i, mask),
      `byte ${i} ^ ${mask}`));
    bytesEqual(await bob.decrypt(message), utf8('still pending'), 'the original still decrypts');
  }, SLOW],

  ['RatchetMessage and PreKeyMessage: every truncation is refused and changes nothing', async () => {
    const { alice, bob } = await securePair();
    const first = await alice.encrypt(utf8('the first message'));
    for (const [n, part] of truncations(first).entries()) {
      await rejects(bob.accept(part), n < 164 ? 'MALFORMED' : 'AUTH_FAILED', `PreKeyMessage truncated to ${n}`);
    }
    await bob.decrypt(first);
    await alice.decrypt(await bob.encrypt(utf8('reply')));
    const message = await alice.encrypt(utf8('a ratchet message'));
    for (const [n, part] of truncations(message).entries()) {
      const code = n < 58 ? 'MALFORMED' : 'AUTH_FAILED';
      await refusedAndUnchanged(bob.session, part, code, `RatchetMessage truncated to ${n}`);
    }
    bytesEqual(await bob.decrypt(message), utf8('a ratchet message'), 'the whole message decrypts');
  }, SLOW],

  ['DeviceCert inside a list: every flipped byte is refused with its code', async () => {
    const { account, certs } = await deviceListFixture();
    const sample = certs[1];
    const codeAt = (i, mask) => {
      if (i === 0) return 'UNSUPPORTED_VERSION';
      if (i >= 33 && i < 37) return 'MALFORMED'; // device 2 between devices 1 and 3: any other id is out of order
      if (i >= 101 && i < 109) {
        // issuedAt: a value above 2^53 - 1 cannot be represented and is refused as malformed.
        const high = readU32(flipped(sample, i, mask), 101);
        return high > 0x1fffff ? 'MALFORMED' : 'UNTRUSTED_DEVICE';
      }
      return 'UNTRUSTED_DEVICE';
    };
    const count = await forEveryFlip(sample, async (i, mask, tampered) => {
      const list = await signedListOf(account, [certs[0], tampered, certs[2]]);
      await rejects(verifyDeviceList(list, account.sign.publicKey), codeAt(i, mask), `certificate byte ${i} ^ ${mask}`);
    });
    equal(count, 474, 'cases');
    const untampered = await verifyDeviceList(await signedListOf(account, certs), account.sign.publicKey);
    equal(untampered.devices.length, 3, 'untampered');
  }, SLOW],

  ['DeviceList: every flipped byte is refused with its code, and every truncation', async () => {
    const { account, certs } = await deviceListFixture();
    const list = await signDeviceList(account, { listVersion: 1, timestamp: T0, certs: certs.slice(0, 2) });
    const certEnd = 50 + 2 * 237;
    const codeAt = (i, mask) => {
      const t = flipped(list, i, mask);
      if (i === 0) return 'UNSUPPORTED_VERSION';
      if (i < 33) return 'ACCOUNT_MISMATCH';
      if (i < 49) {
        // listVersion and timestamp: a u64 above 2^53 - 1, or a list version 0, is malformed.
        const at = i < 41 ? 33 : 41;
        const versionZero = at === 33 && readU32(t, 33) === 0 && readU32(t, 37) === 0;
        if (readU32(t, at) > 0x1fffff || versionZero) return 'MALFORMED';
        return 'BAD_SIGNATURE';
      }
      if (i === 49) return 'MALFORMED'; // count no longer matches the length
      if (i < certEnd) {
        const certAt = 50 + 237 * Math.floor((i - 50) / 237);
        const within = i - certAt;
        if (within === 0) return 'UNSUPPORTED_VERSION';
        if (within >= 33 && within < 37) {
          const first = readU32(t, 50 + 33);
          const second = readU32(t, 50 + 237 + 33);
          if (first === 0 || second === 0 || second <= first) return 'MALFORMED';
          if (first !== 1) return 'NO_PRIMARY';
        }
        if (within >= 101 && within < 109 && readU32(t, certAt + 101) > 0x1fffff) return 'MALFORMED';
        return 'BAD_SIGNATURE';
      }
      return 'BAD_SIGNATURE';
    };
    await forEveryFlip(list, (i, mask, tampered) =>
      rejects(verifyDeviceList(tampered, account.sign.publicKey), codeAt(i, mask), `list byte ${i} ^ ${mask}`));
    for (const [n, part] of truncations(list).entries()) {
      await rejects(verifyDeviceList(part), 'MALFORMED', `list truncated to ${n}`);
    }
    for (let n = 0; n < 237; n++) {
      throws(() => parseDeviceCert(certs[1].slice(0, n)), 'MALFORMED', `cert truncated to ${n}`);
    }
  }, SLOW],

  ['ProvisionMessage: every flipped byte and every truncation is refused', async () => {
    const source = secureSource();
    const q = await createProvisioningKey(source);
    const payload = utf8('account key, device id, certificate');
    const message = await sealProvisioning(source, q.publicKey, payload);
    const codeAt = (i, mask) => {
      if (i === 0) return 'UNSUPPORTED_VERSION';
      if (i === 1) return 'MALFORMED';
      return isTopBit(2, i, mask) ? 'INVALID_KEY' : 'AUTH_FAILED';
    };
    await forEveryFlip(message, (i, mask, tampered) =>
      rejects(openProvisioning(q, tampered), codeAt(i, mask), `byte ${i} ^ ${mask}`));
    for (const [n, part] of truncations(message).entries()) {
      await rejects(openProvisioning(q, part), n < 50 ? 'MALFORMED' : 'AUTH_FAILED', `truncated to ${n}`);
    }
    bytesEqual(await openProvisioning(q, message), payload, 'the original opens');
  }, SLOW],

  ['CodeHello: every flipped byte makes the exchange fail; every truncation is refused', async () => {
    const { source, companion } = await codeLinkParties();
    const hello = companion.hello;
    const code = normaliseCode(companion.code);
    // The primary refuses a hello it cannot parse; otherwise the companion refuses the answer,
    // so the primary never gets a confirmation and signs nothing.
    const attempt = async (i, mask, tampered) => {
      const what = `hello byte ${i} ^ ${mask}`;
      if (i === 0) return rejects(answerCodeHello(source, code, tampered, utf8('r')), 'UNSUPPORTED_VERSION', what);
      if (i === 1) return rejects(answerCodeHello(source, code, tampered, utf8('r')), 'MALFORMED', what);
      const primary = await answerCodeHello(source, code, tampered, utf8('r'));
      return rejects(companion.openReply(primary.reply), 'AUTH_FAILED', what);
    };
    // Four at a time: each answer stretches the code with PBKDF2, which runs off the main thread.
    const cases = [];
    for (let i = 0; i < hello.length; i++) for (const mask of MASKS) cases.push([i, mask, flipped(hello, i, mask)]);
    for (let k = 0; k < cases.length; k += 4) await Promise.all(cases.slice(k, k + 4).map((c) => attempt(...c)));
    equal(cases.length, 260, 'cases');
    for (const [n, part] of truncations(hello).entries()) {
      await rejects(answerCodeHello(source, code, part, utf8('r')), 'MALFORMED', `hello truncated to ${n}`);
    }
    const primary = await answerCodeHello(source, code, hello, utf8('reply payload'));
    bytesEqual(await companion.openReply(primary.reply), utf8('reply payload'), 'the untampered exchange works');
  }, SLOW],

  ['CodeReply and CodeConfirm: every flipped byte and every truncation is refused', async () => {
    const { companion, primary } = await codeLinkParties();
    const reply = primary.reply;
    const codeAt = (i) => (i === 0 ? 'UNSUPPORTED_VERSION' : i === 1 ? 'MALFORMED' : 'AUTH_FAILED');
    await forEveryFlip(reply, (i, mask, tampered) =>
      rejects(companion.openReply(tampered), codeAt(i), `reply byte ${i} ^ ${mask}`));
    for (const [n, part] of truncations(reply).entries()) {
      await rejects(companion.openReply(part), n < 50 ? 'MALFORMED' : 'AUTH_FAILED', `reply truncated to ${n}`);
    }
    bytesEqual(await companion.openReply(reply), utf8('reply payload'), 'the reply opens');
    const confirm = await companion.confirm(utf8('confirm payload'));
    await forEveryFlip(confirm, (i, mask, tampered) =>
      rejects(primary.openConfirm(tampered), codeAt(i), `confirm byte ${i} ^ ${mask}`));
    for (const [n, part] of truncations(confirm).entries()) {
      await rejects(primary.openConfirm(part), n < 18 ? 'MALFORMED' : 'AUTH_FAILED', `confirm truncated to ${n}`);
    }
    bytesEqual(await primary.openConfirm(confirm), utf8('confirm payload'), 'the confirmation opens');
  }, SLOW],

  ['Envelope: every flipped byte is refused or changes the parsed fields; every truncation is refused', async () => {
    const fields = {
      kind: 2, messageId: Uint8Array.from({ length: 16 }, (_, i) => i), timestamp: 1_790_000_000_123,
      serverTimestamp: 1_790_000_000_456, source: '+8801711000001', sourceDevice: 2, destinationDevice: 3,
      content: utf8('opaque content'),
    };
    const envelope = encodeEnvelope(fields);
    let refused = 0;
    await forEveryFlip(envelope, (i, mask, tampered) => {
      let decoded;
      try {
        decoded = decodeEnvelope(tampered);
      } catch (err) {
        ok(['UNSUPPORTED_VERSION', 'MALFORMED', 'TOO_LARGE'].includes(err.code), `byte ${i} ^ ${mask}: ${err.code}`);
        refused++;
        return;
      }
      // Accepted: the encoding is canonical, so the bytes re-encode and some field differs.
      bytesEqual(encodeEnvelope(decoded), tampered, `byte ${i} ^ ${mask}: re-encoding`);
      ok(Object.keys(fields).some((k) => !sameField(decoded[k], fields[k])), `byte ${i} ^ ${mask}: same fields`);
    });
    ok(refused > 0, 'some flips are refused');
    for (const [n, part] of truncations(envelope).entries()) {
      throws(() => decodeEnvelope(part), 'MALFORMED', `truncated to ${n}`);
    }
  }],
];
