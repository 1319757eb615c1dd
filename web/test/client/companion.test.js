// The Companion against a fake relay and test devices (Alice's phone, Bob's phone): linking both
// ways, sending and receiving, receipts, history, device lists, logging out, reconnecting.

import { deepEqual, equal, ok, rejects, throws } from '../assert.js';
import { IndexedDbStorage, MemoryStorage, requireSecureContext } from '../../../static/js/client/index.js';
import { fromBase64 } from '../../../static/js/client/encoding.js';
import { CODE_ALPHABET, Delivery, safetyNumber } from '../../../static/js/protocol/index.js';
import { ALICE, BOB, EVENTS, accounts, linked, open } from './setup.js';
import { TestDevice, recordEvents, waitFor } from './test-device.js';
import { FakeRelay } from './fake-relay.js';

const SLOW = { timeout: 60_000 };

function otherCode(code) {
  const plain = code.replace('-', '');
  const first = CODE_ALPHABET[(CODE_ALPHABET.indexOf(plain[0]) + 1) % CODE_ALPHABET.length];
  return first + plain.slice(1);
}

export const tests = [
  ['without a secure context (no WebCrypto) the companion refuses to open, saying why', async () => {
    const { crypto } = globalThis;
    for (const scope of [{ isSecureContext: false, crypto }, { isSecureContext: false }, { crypto: {} }, {}]) {
      throws(() => requireSecureContext(scope), 'INSECURE_CONTEXT');
    }
    requireSecureContext({ isSecureContext: true, crypto });
    requireSecureContext({ crypto }); // Node: no isSecureContext, and WebCrypto
    requireSecureContext();
  }],

  ['links by QR: shows the URI, links itself, the primary signs it in; a reload keeps it linked', async () => {
    const { relay, alice, storage, companion, events } = await accounts();
    equal(companion.state, 'unlinked');
    await companion.startQrLink({ name: 'Firefox on Linux' });
    equal(companion.state, 'linking');
    const { uri, expiresAt } = await events.nth('qr');
    ok(/^quintet:\/\/link\?v=1&a=[A-Za-z0-9_-]+&k=[A-Za-z0-9_-]{43}&i=[A-Za-z0-9_-]{86}&n=[A-Za-z0-9_-]+$/.test(uri), uri);
    ok(expiresAt > Date.now() && expiresAt <= Date.now() + 30_000);
    equal(await alice.linkByQr(uri), 2);
    deepEqual(await events.nth('linked'), { number: ALICE, deviceId: 2, name: 'Firefox on Linux', primary: false });
    equal(companion.state, 'linked');
    deepEqual(companion.account, { number: ALICE, deviceId: 2, name: 'Firefox on Linux', primary: false });
    const device = relay.device(ALICE, 2);
    equal(device.platform, 'web');
    equal(device.oneTimePreKeys.length, 100);
    await waitFor(() => companion.online, 'the delivery connection');
    deepEqual(events.of('state').map((d) => d.state), ['linking', 'linked']);
    await companion.close();

    const reopened = await open(relay, storage);
    equal(reopened.state, 'linked');
    deepEqual(reopened.account, { number: ALICE, deviceId: 2, name: 'Firefox on Linux', primary: false });
    await waitFor(() => reopened.online, 'the delivery connection after a reload');
    await reopened.close();
  }],

  ['links by code: a wrong code typed on the primary is reported and the right one links', async () => {
    const { alice, companion, events } = await accounts();
    await companion.startCodeLink({ number: ALICE, name: 'Work laptop' });
    const { code, expiresAt } = await events.nth('code');
    ok(/^[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}$/.test(code), code);
    ok(expiresAt > Date.now());
    equal(await alice.typeCode(otherCode(code)), 'wrong-code');
    deepEqual(await events.nth('wrong-code'), { attemptsLeft: 2 });
    equal(companion.state, 'linking');
    equal(await alice.typeCode(code), 'linked');
    await events.nth('linked');
    deepEqual(companion.account, { number: ALICE, deviceId: 2, name: 'Work laptop', primary: false });
    await companion.close();
  }, SLOW],

  ['code linking ends on three wrong codes, and for a number without an account', async () => {
    const { alice, companion, events } = await accounts();
    await companion.startCodeLink({ number: ALICE, name: 'Laptop' });
    const { code } = await events.nth('code');
    for (let i = 0; i < 3; i++) equal(await alice.typeCode(otherCode(code)), 'wrong-code');
    deepEqual(await events.nth('link-failed'), { reason: 'TOO_MANY_WRONG_CODES' });
    equal(companion.state, 'unlinked');

    await companion.startCodeLink({ number: '+8801999999999', name: 'Laptop' });
    deepEqual(await events.nth('link-failed', 2), { reason: 'UNKNOWN_ACCOUNT' });
    equal(companion.state, 'unlinked');
    await rejects(companion.startCodeLink({ number: '01711000001', name: 'Laptop' }), 'INVALID_NUMBER');
    await rejects(companion.startQrLink({ name: '' }), 'INVALID_ARGUMENT');
    await companion.close();
  }, SLOW],

  ['QR linking: a relay timeout fails with TIMEOUT, cancelLink ends quietly', async () => {
    const { relay, companion, events } = await accounts();
    await companion.startQrLink({ name: 'Tab' });
    await events.nth('qr');
    [...relay.provisioning.values()][0].serverClose(4010, 'reload to try again');
    deepEqual(await events.nth('link-failed'), { reason: 'TIMEOUT' });
    equal(companion.state, 'unlinked');
    equal(events.of('link-reconnecting').length, 0, 'the end of the socket\'s lifetime is final');

    await companion.startQrLink({ name: 'Tab' });
    await events.nth('qr', 2);
    companion.cancelLink();
    await waitFor(() => companion.state === 'unlinked' && relay.provisioning.size === 0, 'the attempt to end');
    equal(events.of('link-failed').length, 1);

    // Cancelled while it is still being set up.
    const starting = companion.startCodeLink({ number: ALICE, name: 'Tab' });
    companion.cancelLink();
    await starting;
    await waitFor(() => companion.state === 'unlinked', 'the attempt to end');
    equal(events.of('code').length, 0);
    equal(events.of('link-failed').length, 1);
    await companion.close();
  }],

  ['QR linking outlives a restarting relay: it reconnects as delivery does, shows a new code, and links by it', async () => {
    const { relay, alice, companion, events } = await accounts();
    await companion.startQrLink({ name: 'Tab' });
    const first = await events.nth('qr');
    relay.restartProvisioning(1); // the first try finds it still down
    const lost = await events.nth('link-reconnecting');
    equal(lost.wasOpen, true);
    ok(lost.delayMs >= Delivery.reconnectDelayMs(0, 1) && lost.delayMs <= Delivery.reconnectDelayMs(0, 0), String(lost.delayMs));
    const refused = await events.nth('link-reconnecting', 2);
    equal(refused.wasOpen, false);
    ok(refused.delayMs >= Delivery.reconnectDelayMs(1, 1) && refused.delayMs <= Delivery.reconnectDelayMs(1, 0), String(refused.delayMs));
    const second = await events.nth('qr', 2);
    ok(second.uri !== first.uri, 'a new address');
    equal(companion.state, 'linking');
    equal(events.of('link-failed').length, 0);
    // The old code's address died with its socket.
    equal(await alice.linkByQr(first.uri).then(() => 'linked', (error) => error.message), 'no companion waits at the address');
    equal(await alice.linkByQr(second.uri), 2);
    deepEqual(await events.nth('linked'), { number: ALICE, deviceId: 2, name: 'Tab', primary: false });
    equal(events.of('link-reconnecting').length, 2);
    await companion.close();
  }],

  ['code linking outlives a lost socket: a new request with a new code, and the old code no longer links', async () => {
    const { relay, alice, companion, events } = await accounts();
    await companion.startCodeLink({ number: ALICE, name: 'Laptop' });
    const first = await events.nth('code');
    relay.restartProvisioning(0);
    await events.nth('link-reconnecting');
    const second = await events.nth('code', 2);
    ok(second.code !== first.code, 'a new code');
    equal(relay.pairings.size, 1, 'the lost socket\'s request ended with it');
    equal(await alice.typeCode(first.code), 'wrong-code');
    deepEqual(await events.nth('wrong-code'), { attemptsLeft: 2 });
    equal(await alice.typeCode(second.code), 'linked');
    await events.nth('linked');
    equal(events.of('link-failed').length, 0);
    await companion.close();
  }, SLOW],

  ['a link attempt cancelled while it waits to reconnect tries no more', async () => {
    const { relay, companion, events } = await accounts();
    await companion.startQrLink({ name: 'Tab' });
    await events.nth('qr');
    relay.restartProvisioning(100);
    await events.nth('link-reconnecting');
    companion.cancelLink();
    await waitFor(() => companion.state === 'unlinked', 'the attempt to end');
    await new Promise((resolve) => setTimeout(resolve, Delivery.reconnectDelayMs(0, 0) + 200));
    equal(relay.refuseSockets, 100, 'no socket was tried after the cancel');
    equal(events.of('link-failed').length, 0);
    await companion.close();
  }],

  ['sends a text to every device of the peer and to the own account\'s other devices', async () => {
    const { bob, alice, companion, events } = await linked();
    const sent = await companion.send(BOB, 'hello Bob');
    equal(sent.status, 'sending');
    equal(sent.outgoing, true);
    deepEqual(await events.nth('message-status'), { id: sent.id, status: 'sent' });
    await bob.receive();
    await alice.receive();
    equal(bob.received.length, 1);
    deepEqual(bob.received[0].content, { v: 1, type: 'text', body: 'hello Bob', ts: sent.timestamp });
    equal(bob.received[0].id, sent.id);
    deepEqual(alice.received[0].content, { v: 1, type: 'text', body: 'hello Bob', ts: sent.timestamp, peer: BOB });
    // Bob's phone acknowledged the message: the relay's receipt reaches the companion.
    deepEqual(await events.nth('message-status', 2), { id: sent.id, status: 'delivered' });
    equal((await companion.messages(BOB))[0].status, 'delivered');
    const [conversation] = await companion.conversations();
    deepEqual(conversation, { peer: BOB, lastMessage: { id: sent.id, body: 'hello Bob', timestamp: sent.timestamp, outgoing: true }, unread: 0 });

    // Again, now over the sessions both sides hold.
    const second = await companion.send(BOB, 'second');
    await waitFor(async () => (await companion.messages(BOB)).find((m) => m.id === second.id).status === 'sent', 'sent');
    await bob.receive();
    equal(bob.received[1].content.body, 'second');
    await companion.close();
  }],

  ['receives texts, and the texts the phone sent show as outgoing in the right conversation', async () => {
    const { bob, alice, relay, companion, events } = await linked();
    const id = await bob.sendText(ALICE, 'hi from Bob', 1_700_000_000_000);
    const message = await events.nth('message');
    deepEqual(message, {
      id, peer: BOB, from: BOB, fromDevice: 1, outgoing: false, body: 'hi from Bob', timestamp: 1_700_000_000_000,
      status: 'delivered',
    });
    await waitFor(() => relay.device(ALICE, 2).queue.length === 0, 'the acknowledgement');
    equal((await companion.conversations())[0].unread, 1);
    await companion.markRead(BOB);
    equal((await companion.conversations())[0].unread, 0);

    const fromPhone = await alice.sendText(BOB, 'sent on the phone', 1_700_000_001_000);
    const copy = await events.nth('message', 2);
    deepEqual(copy, {
      id: fromPhone, peer: BOB, from: ALICE, fromDevice: 1, outgoing: true, body: 'sent on the phone',
      timestamp: 1_700_000_001_000, status: 'sent',
    });
    deepEqual((await companion.messages(BOB)).map((m) => m.body), ['hi from Bob', 'sent on the phone']);
    equal((await companion.conversations())[0].unread, 0);
    await companion.close();
  }],

  ['a content of a later client is acknowledged and shown as needing a newer version; the next text follows', async () => {
    const { bob, alice, relay, companion, events } = await linked();
    await bob.send(ALICE, { v: 1, type: 'poll', ts: 5, question: 'lunch?' });
    const unsupported = await events.nth('message');
    equal(unsupported.unsupported, 'poll');
    equal(unsupported.peer, BOB);
    await alice.send(BOB, { v: 1, type: 'poll', ts: 6, question: 'tea?' });
    const own = await events.nth('message', 2);
    equal(own.peer, BOB, 'the own account\'s copy names its conversation');
    equal(own.outgoing, true);
    await bob.sendText(ALICE, 'after the poll');
    equal((await events.nth('message', 3)).body, 'after the poll');
    await waitFor(() => relay.device(ALICE, 2).queue.length === 0, 'every envelope acknowledged');
    deepEqual((await companion.messages(BOB)).map((m) => m.unsupported ?? m.body), ['poll', 'poll', 'after the poll']);
    await companion.close();
  }],

  ['a message delivered again is shown once', async () => {
    const { bob, relay, companion, events } = await linked();
    await bob.sendText(ALICE, 'once');
    const [entry] = relay.device(ALICE, 2).queue;
    const copy = { ...entry.fields };
    await events.nth('message');
    relay.enqueue(ALICE, 2, copy);
    await waitFor(() => relay.device(ALICE, 2).queue.length === 0, 'the copy to be acknowledged');
    equal(events.of('message').length, 1);
    equal((await companion.messages(BOB)).length, 1);
    await companion.close();
  }],

  ['a device linked meanwhile: the relay says DEVICE_MISMATCH, the companion refreshes and sends again', async () => {
    const { bob, relay, companion, events } = await linked();
    const first = await companion.send(BOB, 'one');
    await events.nth('message-status');
    const tablet = await bob.addDevice();
    const second = await companion.send(BOB, 'two');
    await waitFor(() => events.of('message-status').some((s) => s.id === second.id && s.status === 'sent'), 'sent');
    const statuses = relay.requests.filter((r) => r.path === '/v1/messages').length;
    equal(statuses, 3); // one, two refused, two again
    await tablet.receive();
    deepEqual(tablet.received.map((r) => r.content.body), ['two']);
    await bob.receive();
    deepEqual(bob.received.map((r) => r.id), [first.id, second.id]);
    await companion.close();
  }],

  ['refuses to encrypt to a device the account\'s signed list does not vouch for', async () => {
    const { bob, relay, companion, events } = await linked();
    // The relay slips a device of its own into Bob's account, which Bob's phone never signed.
    const intruder = await bob.addDevice({ signIn: false });
    const sent = await companion.send(BOB, 'secret');
    deepEqual(await events.nth('message-status'), { id: sent.id, status: 'failed', error: 'UNTRUSTED_DEVICE' });
    equal(relay.requests.filter((r) => r.path === '/v1/messages').length, 0);
    await intruder.receive();
    await bob.receive();
    equal(intruder.received.length + bob.received.length, 0);
    await companion.close();
  }],

  ['history from the primary fills the conversations, with progress; history from anyone else is ignored', async () => {
    const { alice, bob, companion, events } = await linked();
    const entry = (n, peer, outgoing) => ({
      peer, from: outgoing ? ALICE : peer, fromDevice: 1, outgoing, body: `old ${n}`, ts: 1_600_000_000_000 + n,
      id: String(n).padStart(32, '0'),
    });
    const part = (n, messages) => ({ v: 1, type: 'history', part: n, parts: 2, messages });
    const first = part(1, [entry(1, BOB, false), entry(2, BOB, true)]);
    await alice.send(ALICE, first, { ownContent: first });
    deepEqual(await events.nth('history-progress'), { part: 1, parts: 2 });
    // Not from the account's primary: ignored.
    await bob.send(ALICE, part(2, [entry(9, BOB, false)]));
    const second = part(2, [entry(3, '+8801911000003', false)]);
    await alice.send(ALICE, second, { ownContent: second });
    deepEqual(await events.nth('history-progress', 2), { part: 2, parts: 2 });
    await events.nth('history-done');
    equal(events.of('history-progress').length, 2);
    deepEqual((await companion.messages(BOB)).map((m) => [m.body, m.outgoing, m.status]),
      [['old 1', false, 'delivered'], ['old 2', true, 'sent']]);
    deepEqual((await companion.conversations()).map((c) => [c.peer, c.unread]), [['+8801911000003', 0], [BOB, 0]]);
    await companion.close();
  }],

  ['devices, devices-changed, the safety number', async () => {
    const { alice, bob, relay, companion, events } = await linked();
    const devices = await companion.devices();
    deepEqual(devices.map((d) => [d.deviceId, d.name, d.platform, d.self]),
      [[1, 'phone', 'test', false], [2, 'Firefox on Linux', 'web', true]]);
    ok(devices.every((d) => Number.isInteger(d.createdAt) && Number.isInteger(d.lastSeenAt)));
    const before = events.of('devices-changed').length;
    await alice.addDevice();
    await events.nth('devices-changed', before + 1);
    equal((await companion.devices()).length, 3);
    const digits = await companion.safetyNumber(BOB);
    ok(/^[0-9]{60}$/.test(digits));
    equal(digits, await safetyNumber({ accountKey: alice.identity.sign.publicKey, number: ALICE },
      { accountKey: bob.identity.sign.publicKey, number: BOB }));
    equal(relay.requests.filter((r) => decodeURIComponent(r.path) === `/v1/accounts/${BOB}`).length, 1);
    await companion.close();
  }],

  ['tops up one-time prekeys when the relay runs low', async () => {
    const { relay, companion } = await linked();
    relay.device(ALICE, 2).socket.deliver(JSON.stringify({ type: 'prekeys-low', count: 3 }));
    await waitFor(() => relay.device(ALICE, 2).oneTimePreKeys.length === 200, 'the upload');
    const upload = relay.requests.find((r) => r.method === 'PUT' && r.path === '/v1/keys');
    equal(upload.body.oneTimePreKeys.length, 100);
    equal(fromBase64(upload.body.oneTimePreKeys[0]).length, 36);
    await companion.close();
  }],

  ['a text sent while the relay is unreachable goes out when the connection is back', async () => {
    const { bob, relay, companion, events } = await linked();
    relay.override('POST', /^\/v1\/messages$/, 'network', null);
    const sent = await companion.send(BOB, 'later');
    await waitFor(() => relay.requests.filter((r) => r.path === '/v1/messages').length === 1, 'the first try');
    equal((await companion.messages(BOB))[0].status, 'sending');
    relay.device(ALICE, 2).socket.serverClose(1006);
    await waitFor(() => events.of('connection').filter((c) => c.online).length === 2, 'the reconnection', 5000);
    deepEqual(events.of('connection').slice(-2), [{ online: false, replaced: false }, { online: true }]);
    await waitFor(() => events.of('message-status').some((s) => s.id === sent.id && s.status === 'sent'), 'sent');
    await bob.receive();
    deepEqual(bob.received.map((r) => r.content.body), ['later']);
    await companion.close();
  }],

  ['a text the relay refuses is marked failed with its error code', async () => {
    const { relay, companion, events } = await linked();
    relay.override('POST', /^\/v1\/messages$/, 400, { error: 'INVALID_REQUEST', message: 'no' });
    const sent = await companion.send(BOB, 'refused');
    deepEqual(await events.nth('message-status'), { id: sent.id, status: 'failed', error: 'INVALID_REQUEST' });
    equal((await companion.messages(BOB))[0].status, 'failed');
    await rejects(companion.send(BOB, '   '), 'INVALID_ARGUMENT');
    await rejects(companion.send('bob', 'hi'), 'INVALID_NUMBER');
    await companion.close();
  }],

  ['a text refused for a full queue is failed with the full queues named, this account\'s own marked', async () => {
    const { relay, companion, events } = await linked();
    relay.override('POST', /^\/v1\/messages$/, 507, {
      error: 'QUEUE_FULL', message: 'full',
      queues: [{ number: BOB, deviceId: 1, limit: 'envelopes', max: 10000 },
        { number: ALICE, deviceId: 3, limit: 'bytes', max: 268435456 }, { number: 5, deviceId: 'x' }],
    });
    const sent = await companion.send(BOB, 'one too many');
    deepEqual(await events.nth('message-status'), {
      id: sent.id, status: 'failed', error: 'QUEUE_FULL',
      queues: [{ number: BOB, deviceId: 1, limit: 'envelopes', max: 10000, own: false },
        { number: ALICE, deviceId: 3, limit: 'bytes', max: 268435456, own: true }],
    });
    equal((await companion.messages(BOB))[0].status, 'failed');
    const next = await companion.send(BOB, 'room again');
    await waitFor(() => events.of('message-status').some((s) => s.id === next.id && s.status === 'sent'), 'sent');
    await companion.close();
  }],

  ['removed (4001) or its number registered anew (4002): logged out with the reason, everything wiped', async () => {
    const { relay, storage, companion, events } = await linked();
    await companion.send(BOB, 'soon gone');
    await events.nth('message-status');
    relay.removeDevice(ALICE, 2);
    deepEqual(await events.nth('logged-out'), { reason: 'removed' });
    equal(companion.state, 'logged-out');
    equal(companion.loggedOutReason, 'removed');
    equal(companion.account, null);
    deepEqual(await companion.conversations(), []);
    equal((await storage.list('sessions')).length, 0);
    equal((await storage.list('prekeys')).length, 0);
    await rejects(companion.send(BOB, 'hi'), 'WRONG_STATE');
    await companion.close();
    const reopened = await open(relay, storage);
    equal(reopened.state, 'logged-out');
    equal(reopened.loggedOutReason, 'removed');
    await reopened.close();

    const second = await linked();
    second.relay.removeDevice(ALICE, 2, 4002, 'reregistered');
    deepEqual(await second.events.nth('logged-out'), { reason: 'reregistered' });
    await second.companion.close();

    const third = await linked();
    third.relay.removeDevice(ALICE, 2, 4001, 'primary-inactive');
    deepEqual(await third.events.nth('logged-out'), { reason: 'primary-inactive' });
    equal(third.companion.loggedOutReason, 'primary-inactive');
    await third.companion.close();

    // Removed while the page was closed: the relay no longer knows the device when it comes back.
    const fourth = await linked();
    await fourth.companion.close();
    fourth.relay.removeDevice(ALICE, 2);
    const back = await open(fourth.relay, fourth.storage);
    await waitFor(() => back.state === 'logged-out', 'the device to learn it is gone');
    equal(back.loggedOutReason, 'gone');
    equal((await fourth.storage.list('prekeys')).length, 0);
    await back.close();
  }],

  ['logout() removes the device on the relay and wipes it; the companion can be linked again', async () => {
    const { relay, alice, companion, events } = await linked();
    await companion.logout();
    equal(companion.state, 'logged-out');
    equal(companion.loggedOutReason, 'logged-out');
    ok(relay.requests.some((r) => r.method === 'DELETE' && r.path === '/v1/devices/2'));
    equal(relay.device(ALICE, 2), undefined);
    deepEqual(events.of('logged-out'), [{ reason: 'logged-out' }]);

    // Linked again, as a new device.
    await companion.startQrLink({ name: 'Again' });
    equal(companion.loggedOutReason, null);
    await alice.linkByQr((await events.nth('qr', 2)).uri);
    await waitFor(() => companion.online, 'online again');
    deepEqual(companion.account, { number: ALICE, deviceId: 3, name: 'Again', primary: false });
    await companion.send(BOB, 'back');
    deepEqual(await events.nth('message-status'), { id: (await companion.messages(BOB))[0].id, status: 'sent' });
    await companion.close();
  }],

  ['a second tab takes the connection over: the first stays linked but stops sending', async () => {
    const { relay, storage, companion, events } = await linked();
    const tab = await open(relay, storage);
    await waitFor(() => tab.online, 'the second tab online');
    await waitFor(() => events.of('connection').some((c) => c.replaced), 'the first tab to hear of it');
    equal(companion.state, 'linked');
    equal(companion.online, false);
    await rejects(companion.send(BOB, 'hi'), 'REPLACED');
    await tab.send(BOB, 'from the new tab');
    await tab.close();
    await companion.close();
  }],

  ['a fresh companion stores nothing but what it is given', async () => {
    const storage = new MemoryStorage();
    const { relay } = await accounts();
    const companion = await open(relay, storage);
    deepEqual(await companion.conversations(), []);
    equal(companion.loggedOutReason, null);
    await rejects(companion.devices(), 'WRONG_STATE');
    await companion.close();
  }],

  ['on IndexedDB: keys, sessions and chats survive a reload, and the sessions still work', async () => {
    const name = `quintet-companion-test-${Date.now()}`;
    const relay = new FakeRelay();
    const alice = await TestDevice.primary(relay, ALICE);
    const bob = await TestDevice.primary(relay, BOB);
    let storage = await IndexedDbStorage.open(name);
    try {
      const companion = await open(relay, storage);
      const events = recordEvents(companion, EVENTS);
      await companion.startQrLink({ name: 'Chromium' });
      await alice.linkByQr((await events.nth('qr')).uri);
      await waitFor(() => companion.online, 'online');
      await bob.sendText(ALICE, 'before the reload');
      await events.nth('message');
      await companion.send(BOB, 'reply before');
      await events.nth('message-status');
      await companion.close();
      storage.close();

      storage = await IndexedDbStorage.open(name);
      const reloaded = await open(relay, storage);
      const after = recordEvents(reloaded, EVENTS);
      equal(reloaded.state, 'linked');
      await waitFor(() => reloaded.online, 'online after the reload');
      await bob.receive();
      await bob.sendText(ALICE, 'after the reload');
      equal((await after.nth('message')).body, 'after the reload');
      const reply = await reloaded.send(BOB, 'reply after');
      await waitFor(() => after.of('message-status').some((s) => s.id === reply.id), 'the reply to be sent');
      await bob.receive();
      deepEqual(bob.received.map((r) => r.content.body), ['reply before', 'reply after']);
      deepEqual((await reloaded.messages(BOB)).map((m) => m.body),
        ['before the reload', 'reply before', 'after the reload', 'reply after']);
      await reloaded.close();
    } finally {
      storage.close();
      indexedDB.deleteDatabase(name);
    }
  }, { env: 'chromium' }],
];
