// Taking in the history a primary sends a new companion: into the conversations, once, as read.

import { deepEqual, equal } from '../assert.js';
import { HistoryIngest } from '../../../static/js/client/history.js';
import { Chats } from '../../../static/js/client/chats.js';
import { Changes, MemoryStorage } from '../../../static/js/client/store.js';

const ALICE = '+8801711000001';
const BOB = '+8801811000002';
const CAROL = '+8801911000003';

function entry(n, peer, outgoing, ts = 1_600_000_000_000 + n) {
  return { id: n.toString(16).padStart(32, '0'), peer, from: outgoing ? ALICE : peer, fromDevice: 1, outgoing, body: `text ${n}`, ts };
}

async function ingest(history, storage, part, parts, messages) {
  const changes = new Changes();
  const progress = await history.ingest(changes, { part, parts, messages });
  await changes.commit(storage);
  return progress;
}

export const tests = [
  ['the texts go into their conversations, in time order, read, with their status', async () => {
    const storage = new MemoryStorage();
    const chats = new Chats(storage);
    const history = new HistoryIngest(storage, chats);
    deepEqual(await ingest(history, storage, 1, 1, [entry(2, BOB, true), entry(1, BOB, false), entry(3, CAROL, false)]),
      { part: 1, parts: 1, done: true });
    deepEqual((await chats.messages(BOB)).map((m) => [m.body, m.outgoing, m.status, m.from]),
      [['text 1', false, 'delivered', BOB], ['text 2', true, 'sent', ALICE]]);
    deepEqual(await chats.conversations(), [
      { peer: CAROL, lastMessage: { id: entry(3).id, body: 'text 3', timestamp: 1_600_000_000_003, outgoing: false }, unread: 0 },
      { peer: BOB, lastMessage: { id: entry(2).id, body: 'text 2', timestamp: 1_600_000_000_002, outgoing: true }, unread: 0 },
    ]);
  }],

  ['done once every part came, in any order; a part that comes again changes nothing', async () => {
    const storage = new MemoryStorage();
    const chats = new Chats(storage);
    const history = new HistoryIngest(storage, chats);
    equal((await ingest(history, storage, 3, 3, [entry(5, BOB, false)])).done, false);
    equal((await ingest(history, storage, 1, 3, [entry(1, BOB, false)])).done, false);
    equal((await ingest(history, storage, 1, 3, [entry(1, BOB, false)])).done, false);
    equal((await ingest(history, storage, 2, 3, [entry(3, BOB, false)])).done, true);
    equal((await chats.messages(BOB)).length, 3);
  }],

  ['a text already received live is not added twice, and does not move the conversation back', async () => {
    const storage = new MemoryStorage();
    const chats = new Chats(storage);
    const live = { ...entry(9, BOB, false, 1_700_000_000_000), timestamp: 1_700_000_000_000, status: 'delivered' };
    delete live.ts;
    const changes = new Changes();
    await chats.add(changes, live, { unread: true });
    await changes.commit(storage);
    const history = new HistoryIngest(storage, chats);
    await ingest(history, storage, 1, 1, [entry(9, BOB, false, 1_700_000_000_000), entry(1, BOB, true)]);
    deepEqual((await chats.messages(BOB)).map((m) => m.body), ['text 1', 'text 9']);
    const [conversation] = await chats.conversations();
    equal(conversation.lastMessage.body, 'text 9');
    equal(conversation.unread, 1);
  }],

  ['a transfer with another number of parts starts over', async () => {
    const storage = new MemoryStorage();
    const history = new HistoryIngest(storage, new Chats(storage));
    equal((await ingest(history, storage, 1, 2, [])).done, false);
    equal((await ingest(history, storage, 2, 3, [])).done, false);
    equal((await ingest(history, storage, 2, 2, [])).done, false);
  }],
];
