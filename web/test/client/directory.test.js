// The device-list checks of the send and receive paths: what the relay says about an account is
// believed only as far as the account's signed device list vouches for it.

import { deepEqual, equal, rejects } from '../assert.js';
import {
  AccountDirectory, targetDevices, verifyAccountAnswer, verifyBundleAnswer,
} from '../../../static/js/client/directory.js';
import { MemoryStorage } from '../../../static/js/client/store.js';
import { toBase64 } from '../../../static/js/client/encoding.js';
import { createIdentity, secureSource } from '../../../static/js/protocol/index.js';
import { accountAnswer, bundleAnswer, testAccount } from './lists.js';

const BOB = '+8801811000002';
const ALICE = '+8801711000001';

// An auth whose calls answer from a map of path -> answer (or a function of the call count).
function fakeAuth(answers) {
  const calls = [];
  return {
    calls,
    async call(method, path) {
      calls.push(path);
      const answer = answers[decodeURIComponent(path)];
      return typeof answer === 'function' ? answer(calls.filter((p) => p === path).length) : answer;
    },
  };
}

export const tests = [
  ['an honest answer: the list verifies, every device is listed with its identity', async () => {
    const bob = await testAccount(BOB, 1);
    const account = await verifyAccountAnswer(BOB, await accountAnswer(bob));
    equal(account.listVersion, 1);
    deepEqual(account.registrationIds, { 1: 101, 2: 102 });
    deepEqual(targetDevices(account).map((d) => [d.id, d.registrationId]), [[1, 101], [2, 102]]);
  }],

  ['a device the relay names with an identity the list does not give it is refused', async () => {
    const bob = await testAccount(BOB, 1);
    const stranger = await createIdentity(secureSource());
    await rejects(verifyAccountAnswer(BOB, await accountAnswer(bob, { devices: [{ id: 1 }, { id: 2, identity: stranger }] })),
      'UNTRUSTED_DEVICE');
    await rejects(verifyAccountAnswer(BOB, await accountAnswer(bob, { devices: [{ id: 1 }, { id: 3, identity: stranger }] })),
      'UNTRUSTED_DEVICE');
  }],

  ['a list of another account, or an answer whose account key is not the list\'s, is refused', async () => {
    const bob = await testAccount(BOB);
    const impostor = await testAccount(BOB);
    await rejects(verifyAccountAnswer(BOB, await accountAnswer(impostor), { accountKey: bob.accountKey }), 'ACCOUNT_MISMATCH');
    const answer = { ...(await accountAnswer(bob)), accountKey: toBase64(impostor.accountKey) };
    await rejects(verifyAccountAnswer(BOB, answer), 'ACCOUNT_MISMATCH');
  }],

  ['an older list than the one accepted, or another list of the same version, is refused', async () => {
    const bob = await testAccount(BOB, 1);
    const v1 = await bob.list(1, [1]);
    const v2 = await bob.list(2);
    const known = { accountKey: bob.accountKey, deviceList: v2 };
    await rejects(verifyAccountAnswer(BOB, await accountAnswer(bob, { list: v1, devices: [{ id: 1 }] }), known), 'STALE_LIST');
    const otherV2 = await bob.list(2, [1]);
    await rejects(verifyAccountAnswer(BOB, await accountAnswer(bob, { list: otherV2, devices: [{ id: 1 }] }), known),
      'CONFLICTING_LIST');
    equal((await verifyAccountAnswer(BOB, await accountAnswer(bob, { list: v2 }), known)).listVersion, 2);
  }],

  ['a bundle must carry the identity the list gives its device', async () => {
    const bob = await testAccount(BOB, 1);
    const good = await verifyBundleAnswer(BOB, 2, await bundleAnswer(bob, 2));
    equal(good.registrationId, 102);
    const stranger = await createIdentity(secureSource());
    await rejects(verifyBundleAnswer(BOB, 2, await bundleAnswer(bob, 2, { identity: stranger })), 'UNTRUSTED_DEVICE');
    await rejects(verifyBundleAnswer(BOB, 3, await bundleAnswer(bob, 2)), 'UNTRUSTED_DEVICE');
    const unlisted = await bundleAnswer(bob, 2, { list: await bob.list(1, [1]) });
    await rejects(verifyBundleAnswer(BOB, 2, unlisted), 'UNTRUSTED_DEVICE');
  }],

  ['an answer without its fields is a bad answer', async () => {
    const bob = await testAccount(BOB);
    const answer = await accountAnswer(bob);
    await rejects(verifyAccountAnswer(BOB, { ...answer, deviceList: undefined }), 'BAD_ANSWER');
    await rejects(verifyAccountAnswer(BOB, { ...answer, deviceList: 'not base64!' }), 'BAD_ANSWER');
    await rejects(verifyAccountAnswer(BOB, { ...answer, devices: [{ deviceId: 1 }] }), 'BAD_ANSWER');
    await rejects(verifyAccountAnswer(BOB, { ...answer, devices: undefined }), 'BAD_ANSWER');
  }],

  ['the directory: first contact trusts, then holds the key and the last list', async () => {
    const bob = await testAccount(BOB, 1);
    const impostor = await testAccount(BOB);
    const answers = { [`/v1/accounts/${BOB}`]: await accountAnswer(bob) };
    const auth = fakeAuth(answers);
    const storage = new MemoryStorage();
    const directory = new AccountDirectory(storage, auth, () => ({ number: ALICE, accountKey: new Uint8Array(32) }));
    equal((await directory.known(BOB)).listVersion, 1);
    await directory.known(BOB);
    equal(auth.calls.length, 1);
    // The number registered on a new phone: refused until the user decides to trust it.
    answers[`/v1/accounts/${BOB}`] = await accountAnswer(impostor);
    await rejects(directory.refresh(BOB), 'ACCOUNT_MISMATCH');
    deepEqual((await storage.get('accounts', BOB)).accountKey, bob.accountKey);
  }],

  ['the directory: a companion expects its own account\'s key from its certificate', async () => {
    const alice = await testAccount(ALICE);
    const impostor = await testAccount(ALICE);
    const auth = fakeAuth({ [`/v1/accounts/${ALICE}`]: await accountAnswer(impostor) });
    const directory = new AccountDirectory(new MemoryStorage(), auth, () => ({ number: ALICE, accountKey: alice.accountKey }));
    await rejects(directory.known(ALICE), 'ACCOUNT_MISMATCH');
  }],

  ['the directory: an identity not in the known list is checked against a fresh list once', async () => {
    const bob = await testAccount(BOB, 1);
    const auth = fakeAuth({
      [`/v1/accounts/${BOB}`]: async (n) => (n === 1
        ? accountAnswer(bob, { list: await bob.list(1, [1]), devices: [{ id: 1 }] })
        : accountAnswer(bob, { list: await bob.list(2) })),
    });
    const directory = new AccountDirectory(new MemoryStorage(), auth, () => ({ number: ALICE, accountKey: null }));
    await directory.requireIdentity(BOB, 1, bob.devices[0].identity.publicKey);
    equal(auth.calls.length, 1);
    await directory.requireIdentity(BOB, 2, bob.devices[1].identity.publicKey);
    equal(auth.calls.length, 2);
    const stranger = await createIdentity(secureSource());
    await rejects(directory.requireIdentity(BOB, 2, stranger.publicKey), 'UNTRUSTED_DEVICE');
  }],

  ['the directory: a bundle\'s newer list replaces the known one, without the devices it dropped', async () => {
    const bob = await testAccount(BOB, 2);
    const auth = fakeAuth({
      [`/v1/accounts/${BOB}`]: await accountAnswer(bob),
      [`/v1/keys/${BOB}/2`]: await bundleAnswer(bob, 2, { list: await bob.list(2, [1, 2]) }),
    });
    const storage = new MemoryStorage();
    const directory = new AccountDirectory(storage, auth, () => ({ number: ALICE, accountKey: null }));
    deepEqual((await directory.known(BOB)).registrationIds, { 1: 101, 2: 102, 3: 103 });
    const { registrationId } = await directory.bundle(BOB, 2);
    equal(registrationId, 102);
    const stored = await storage.get('accounts', BOB);
    equal(stored.listVersion, 2);
    deepEqual(stored.registrationIds, { 1: 101, 2: 102 });
  }],
];
