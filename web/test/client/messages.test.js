// What people do with messages beyond sending them, on the page's client core against the fake
// relay and the test accounts' devices: replies, reactions, edits, deletions, read receipts,
// typing, profile names and the account's settings. Every change from someone not allowed to
// make it, or about a message this device does not hold, is dropped and the queue moves on.

import { deepEqual, equal, ok, rejects } from '../assert.js';
import { ALICE, BOB, linked } from './setup.js';
import { waitFor } from './test-device.js';
import { ALWAYS_MUTED, isMuted } from '../../../static/js/client/index.js';

const MORE_EVENTS = ['message-changed', 'message-removed', 'typing', 'profile', 'settings', 'conversation-read'];

async function setUp() {
  const setup = await linked();
  const { companion } = setup;
  const seen = [];
  for (const type of MORE_EVENTS) companion.addEventListener(type, (event) => seen.push({ type, detail: event.detail }));
  setup.more = (type) => seen.filter((e) => e.type === type).map((e) => e.detail);
  setup.drained = () => waitFor(() => setup.relay.device(ALICE, 2).queue.length === 0, 'the companion\'s queue to empty');
  return setup;
}

// A text from Bob, taken in by the companion; resolves to its id.
async function textFromBob(setup, body, ts = Date.now()) {
  const id = await setup.bob.sendText(ALICE, body, ts);
  await waitFor(async () => (await setup.companion.messages(BOB)).some((m) => m.id === id), 'the text');
  return id;
}

async function message(companion, id) {
  return (await companion.messages(BOB)).find((m) => m.id === id);
}

export const tests = [
  ['a reply quotes the message it answers, for the peer and for the own devices', async () => {
    const setup = await setUp();
    const { companion, bob, alice } = setup;
    const target = await textFromBob(setup, 'lunch at one?');
    const reply = await companion.send(BOB, 'yes', { replyTo: target });
    deepEqual(reply.quote, { id: target, author: BOB, body: 'lunch at one?' });
    await waitFor(async () => (await message(companion, reply.id)).status === 'sent', 'sent');
    await bob.receive();
    deepEqual(bob.received.at(-1).content.quote, { id: target, author: BOB, body: 'lunch at one?' });
    await alice.receive();
    equal(alice.received.at(-1).content.peer, BOB);
    await rejects(companion.send(BOB, 'x', { replyTo: 'f'.repeat(32) }), 'UNKNOWN_MESSAGE');
    await companion.close();
  }],

  ['reactions: the latest per account wins, an empty one takes it back, one to an unknown message is dropped', async () => {
    const setup = await setUp();
    const { companion, bob } = setup;
    const sent = await companion.send(BOB, 'done!');
    await waitFor(async () => (await message(companion, sent.id)).status === 'sent', 'sent');
    await bob.receive(); // the test devices hold one session per device: Bob answers on the companion's
    await bob.send(ALICE, { v: 1, type: 'reaction', target: sent.id, emoji: '👍', ts: 10 });
    await waitFor(() => setup.more('message-changed').length === 1, 'the reaction');
    deepEqual((await message(companion, sent.id)).reactions, { [BOB]: { emoji: '👍', ts: 10 } });
    await bob.send(ALICE, { v: 1, type: 'reaction', target: sent.id, emoji: '😂', ts: 5 });
    await bob.send(ALICE, { v: 1, type: 'reaction', target: 'f'.repeat(32), emoji: '😂', ts: 11 });
    await bob.send(ALICE, { v: 1, type: 'reaction', target: sent.id, emoji: '', ts: 12 });
    await waitFor(() => setup.more('message-changed').length === 2, 'the reaction taken back');
    await setup.drained();
    deepEqual((await message(companion, sent.id)).reactions, {}, 'the older one changed nothing; the empty one took it back');

    await companion.react(BOB, sent.id, '❤️');
    deepEqual((await message(companion, sent.id)).reactions, { [ALICE]: (await message(companion, sent.id)).reactions[ALICE] });
    equal((await message(companion, sent.id)).reactions[ALICE].emoji, '❤️');
    await waitFor(async () => { await bob.receive(); return bob.received.some((r) => r.content.type === 'reaction'); }, 'Bob to get it');
    await rejects(companion.react(BOB, sent.id, 'ok'), 'INVALID_ARGUMENT');
    await rejects(companion.react(BOB, sent.id, '👍👍'), 'INVALID_ARGUMENT');
    await companion.close();
  }],

  ['edits and deletes: only the author, only within their windows; the rest is dropped', async () => {
    const setup = await setUp();
    const { companion, bob, alice } = setup;
    const now = Date.now();
    const bobs = await textFromBob(setup, 'see you at 6', now);
    const old = await textFromBob(setup, 'old news', now - 3 * 24 * 3600 * 1000);
    const mine = await companion.send(BOB, 'my text');
    await waitFor(async () => (await message(companion, mine.id)).status === 'sent', 'sent');

    await bob.send(ALICE, { v: 1, type: 'edit', target: bobs, body: 'see you at 7', ts: now + 1000 });
    await waitFor(() => setup.more('message-changed').length === 1, 'the edit');
    const edited = await message(companion, bobs);
    equal(edited.body, 'see you at 7');
    equal(edited.edited, true);
    // Bob may not edit Alice's text, nor his own after 15 minutes, nor delete his after two days.
    await bob.send(ALICE, { v: 1, type: 'edit', target: mine.id, body: 'hacked', ts: now + 2000 });
    await bob.send(ALICE, { v: 1, type: 'edit', target: bobs, body: 'too late', ts: now + 16 * 60 * 1000 });
    await bob.send(ALICE, { v: 1, type: 'delete', target: old, ts: now });
    await bob.send(ALICE, { v: 1, type: 'delete', target: bobs, ts: now + 3000 });
    await waitFor(() => setup.more('message-changed').length === 2, 'the delete');
    await setup.drained();
    equal((await message(companion, mine.id)).body, 'my text');
    equal((await message(companion, old)).body, 'old news');
    const deleted = await message(companion, bobs);
    equal(deleted.deleted, true);
    equal(deleted.body, '');

    await companion.editMessage(BOB, mine.id, 'my fixed text');
    equal((await message(companion, mine.id)).body, 'my fixed text');
    await rejects(companion.editMessage(BOB, old, 'x'), 'NOT_AUTHOR');
    await companion.deleteMessage(BOB, mine.id, { forEveryone: true });
    equal((await message(companion, mine.id)).deleted, true);
    await waitFor(async () => {
      await bob.receive();
      return ['edit', 'delete'].every((type) => bob.received.some((r) => r.content.type === type && r.content.target === mine.id));
    }, 'Bob to get the edit and the delete');
    await alice.receive();
    ok(alice.received.some((r) => r.content.type === 'delete' && r.content.peer === BOB), 'and the phone, naming the chat');
    await companion.close();
  }],

  ['delete for me: gone here and, told by another device of the account, there; the peer hears nothing', async () => {
    const setup = await setUp();
    const { companion, bob, alice } = setup;
    const first = await textFromBob(setup, 'first');
    const second = await textFromBob(setup, 'second');
    await companion.deleteMessage(BOB, first);
    deepEqual((await companion.messages(BOB)).map((m) => m.id), [second]);
    await waitFor(async () => { await alice.receive(); return alice.received.some((r) => r.content.type === 'delete-for-me'); }, 'the phone');
    const forMe = { v: 1, type: 'delete-for-me', targets: [second], ts: Date.now() };
    await alice.send(ALICE, forMe, { ownContent: forMe });
    await waitFor(() => setup.more('message-removed').length === 2, 'the phone\'s delete for me');
    deepEqual(await companion.messages(BOB), []);
    equal((await companion.conversations())[0].lastMessage, null);
    await bob.receive();
    ok(!bob.received.some((r) => r.content.type === 'delete-for-me'), 'Bob gets no delete for me');
    await companion.close();
  }],

  ['read: reading a chat tells the peer and the own devices; their receipts turn texts read unless receipts are off', async () => {
    const setup = await setUp();
    const { companion, bob, alice } = setup;
    const unread = await textFromBob(setup, 'are you there?');
    equal((await companion.conversations())[0].unread, 1);
    await companion.markRead(BOB);
    equal((await companion.conversations())[0].unread, 0);
    await waitFor(async () => { await bob.receive(); return bob.received.some((r) => r.content.type === 'read'); }, 'the receipt');
    deepEqual(bob.received.find((r) => r.content.type === 'read').content.targets, [unread]);
    await alice.receive();
    deepEqual(alice.received.find((r) => r.content.type === 'read').content.peer, BOB);

    // Read on the phone: the conversation is read here too.
    const later = await textFromBob(setup, 'hello?');
    equal((await companion.conversations())[0].unread, 1);
    const readThere = { v: 1, type: 'read', targets: [later], ts: Date.now(), peer: BOB };
    await alice.send(ALICE, readThere, { ownContent: readThere });
    await waitFor(() => setup.more('conversation-read').length === 1, 'read on the phone');
    equal((await companion.conversations())[0].unread, 0);

    const sent = await companion.send(BOB, 'yes');
    await waitFor(async () => (await message(companion, sent.id)).status === 'sent', 'sent');
    await bob.send(ALICE, { v: 1, type: 'read', targets: [sent.id], ts: Date.now() });
    await waitFor(async () => (await message(companion, sent.id)).status === 'read', 'read by Bob');

    // Receipts off (set on the phone): this device neither shows Bob's nor sends its own.
    const settings = { v: 1, type: 'settings', readReceipts: false, ts: Date.now() };
    await alice.send(ALICE, settings, { ownContent: settings });
    await waitFor(() => setup.more('settings').length === 1, 'the settings');
    deepEqual(await companion.settings(), { readReceipts: false });
    const another = await companion.send(BOB, 'again');
    await waitFor(async () => (await message(companion, another.id)).status === 'sent', 'sent');
    await bob.send(ALICE, { v: 1, type: 'read', targets: [another.id], ts: Date.now() });
    const afterReceipt = await textFromBob(setup, 'after the receipt');
    await setup.drained();
    equal((await message(companion, another.id)).status, 'sent');
    const before = bob.received.length;
    await companion.markRead(BOB);
    await waitFor(async () => {
      await alice.receive();
      return alice.received.some((r) => r.content.type === 'read' && r.content.targets.includes(afterReceipt));
    }, 'the phone to hear it was read');
    await bob.receive();
    ok(bob.received.slice(before).every((r) => r.content.type !== 'read'), 'no receipt for Bob');
    await companion.close();
  }],

  ['typing and profile names: typing is announced and kept nowhere; names are kept, the latest winning', async () => {
    const setup = await setUp();
    const { companion, bob } = setup;
    await bob.send(ALICE, { v: 1, type: 'typing', typing: true, ts: Date.now() });
    await waitFor(() => setup.more('typing').length === 1, 'typing');
    deepEqual(setup.more('typing')[0], { peer: BOB, typing: true });
    deepEqual(await companion.conversations(), [], 'typing is no conversation');

    await bob.send(ALICE, { v: 1, type: 'profile', name: 'Bob B.', ts: 20 });
    await bob.send(ALICE, { v: 1, type: 'profile', name: 'Old Bob', ts: 10 });
    await waitFor(() => setup.more('profile').length === 1, 'the name');
    await setup.drained();
    deepEqual(await companion.names(), { [BOB]: 'Bob B.' });

    await companion.send(BOB, 'hi');
    await companion.setProfileName('Alice A.');
    equal(await companion.profileName(), 'Alice A.');
    await waitFor(async () => { await bob.receive(); return bob.received.some((r) => r.content.type === 'profile'); }, 'Bob to learn it');
    equal(bob.received.find((r) => r.content.type === 'profile').content.name, 'Alice A.');
    await rejects(companion.setProfileName(''), 'INVALID_ARGUMENT');
    await companion.close();
  }],

  ['muting a chat: kept on the device until its time, through new texts, and undone by 0', async () => {
    const setup = await setUp();
    const { companion } = setup;
    const muted = [];
    companion.addEventListener('conversation-muted', (event) => muted.push(event.detail));
    await textFromBob(setup, 'first');
    const until = Date.now() + 3600_000;
    await companion.muteChat(BOB, until);
    deepEqual(muted, [{ peer: BOB, mutedUntil: until }]);
    await textFromBob(setup, 'second');
    const [conversation] = await companion.conversations();
    equal(conversation.mutedUntil, until, 'a new text keeps the chat muted');
    equal(conversation.unread, 2);
    ok(isMuted(conversation) && !isMuted(conversation, until + 1), 'muted until its time');
    await companion.muteChat(BOB, ALWAYS_MUTED);
    ok(isMuted((await companion.conversations())[0], Date.now() + 100 * 365 * 24 * 3600_000), 'for good');
    await companion.muteChat(BOB, 0);
    equal((await companion.conversations())[0].mutedUntil, undefined);
    await rejects(companion.muteChat(BOB, -1), 'INVALID_ARGUMENT');
    await rejects(companion.muteChat('bob', until), 'INVALID_NUMBER');
    await companion.close();
  }],
];
