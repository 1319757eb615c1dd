// The history a primary sends a new companion: what the primary shows of its texts, taken into the
// companion's conversations once.

import { deepEqual, equal } from '../assert.js';
import { HistoryIngest, HistorySender } from '../../../static/js/client/history.js';
import { Chats } from '../../../static/js/client/chats.js';
import { decodeContent, encodeHistoryPart, splitHistory } from '../../../static/js/client/content.js';
import { Profiles } from '../../../static/js/client/profiles.js';
import { Changes, MemoryStorage } from '../../../static/js/client/store.js';

const ALICE = '+8801711000001';
const BOB = '+8801811000002';
const CAROL = '+8801911000003';

function entry(n, peer, outgoing, ts = 1_600_000_000_000 + n) {
  return {
    id: n.toString(16).padStart(32, '0'), peer, from: outgoing ? ALICE : peer, fromDevice: 1, outgoing, body: `text ${n}`, ts,
    status: outgoing ? 'sent' : 'read', reactions: [],
  };
}

async function ingest(history, storage, part, parts, messages) {
  const changes = new Changes();
  const progress = await history.ingest(changes, { part, parts, messages, profiles: [] });
  await changes.commit(storage);
  return progress;
}

export const tests = [
  ['the texts go into their conversations, in time order, read, with their status', async () => {
    const storage = new MemoryStorage();
    const chats = new Chats(storage);
    const history = new HistoryIngest(storage, chats, new Profiles(storage));
    deepEqual(await ingest(history, storage, 1, 1, [entry(2, BOB, true), entry(1, BOB, false), entry(3, CAROL, false)]),
      { part: 1, parts: 1, done: true, names: [] });
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
    const history = new HistoryIngest(storage, chats, new Profiles(storage));
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
    const history = new HistoryIngest(storage, chats, new Profiles(storage));
    await ingest(history, storage, 1, 1, [entry(9, BOB, false, 1_700_000_000_000), entry(1, BOB, true)]);
    deepEqual((await chats.messages(BOB)).map((m) => m.body), ['text 1', 'text 9']);
    const [conversation] = await chats.conversations();
    equal(conversation.lastMessage.body, 'text 9');
    equal(conversation.unread, 1);
  }],

  ['a transfer with another number of parts starts over', async () => {
    const storage = new MemoryStorage();
    const history = new HistoryIngest(storage, new Chats(storage), new Profiles(storage));
    equal((await ingest(history, storage, 1, 2, [])).done, false);
    equal((await ingest(history, storage, 2, 3, [])).done, false);
    equal((await ingest(history, storage, 2, 2, [])).done, false);
  }],

  ['a companion shows each text as the primary does: status, unread, quote, edit, deletion, reactions, names', async () => {
    const phone = new MemoryStorage();
    const chats = new Chats(phone);
    const profiles = new Profiles(phone);
    const id = (n) => n.toString(16).padStart(32, '0');
    const at = Date.now() - 60_000;
    const changes = new Changes();
    const text = (n, outgoing, extra = {}) => ({
      id: id(n), peer: BOB, from: outgoing ? ALICE : BOB, fromDevice: 1, outgoing, body: `text ${n}`,
      timestamp: at + n, status: outgoing ? 'sent' : 'delivered', ...extra,
    });
    await chats.add(changes, text(1, false));
    await chats.add(changes, text(2, true, { status: 'read', quote: { id: id(1), author: BOB, body: 'text 1' } }));
    await chats.add(changes, text(3, false), { unread: true });
    await chats.add(changes, text(4, true, { status: 'failed' }));
    await chats.add(changes, text(5, false));
    await profiles.take(changes, BOB, 'Rahim', 5);
    await profiles.take(changes, ALICE, 'করিম', 6);
    await profiles.take(changes, CAROL, 'Not in these chats', 7);
    await changes.commit(phone);
    const later = new Changes();
    await chats.react(later, id(2), BOB, '👍', at + 10);
    await chats.edit(later, id(2), 'text 2, fixed', at + 11);
    await chats.markDeleted(later, id(5));
    await later.commit(phone);

    const sent = [];
    const sender = new HistorySender({
      chats, profiles, self: () => ({ number: ALICE }), sender: { sendSync: async (device, bytes) => sent.push([device, bytes]) },
    });
    deepEqual(await sender.send(2, 1), { texts: 4, parts: 1 }, 'the failed text is left out');
    equal(sent[0][0], 2);
    const part = decodeContent(sent[0][1]);
    deepEqual(part.profiles.map((p) => [p.number, p.name]), [[ALICE, 'করিম'], [BOB, 'Rahim']]);

    const laptop = new MemoryStorage();
    const companion = new Chats(laptop);
    const names = new Profiles(laptop);
    const step = new Changes();
    deepEqual((await new HistoryIngest(laptop, companion, names).ingest(step, part)).names,
      [{ number: ALICE, name: 'করিম' }, { number: BOB, name: 'Rahim' }], 'the names it did not know');
    await step.commit(laptop);
    const shown = (messages) => messages.map((m) => [m.id, m.body, m.status, m.quote?.id ?? null, m.editedAt ?? 0,
      Boolean(m.deleted), JSON.stringify(m.reactions ?? {}), Boolean(m.unread)]);
    deepEqual(shown(await companion.messages(BOB)), shown((await chats.messages(BOB)).filter((m) => m.status !== 'failed')));
    equal((await companion.conversations())[0].unread, 1);
    equal(await names.name(BOB), 'Rahim');
    equal(await names.name(ALICE), 'করিম');
    equal(await names.name(CAROL), null);
  }],

  ['a part carries the account\'s name and those of the numbers its texts name', () => {
    const texts = Array.from({ length: 150 }, (_, n) => entry(n, n < 100 ? BOB : CAROL, n % 2 === 0));
    const known = { [BOB]: { name: 'Rahim', ts: 1 }, [CAROL]: { name: 'Carol', ts: 2 }, [ALICE]: { name: 'Alice', ts: 3 } };
    const parts = splitHistory(texts, ALICE, known);
    deepEqual(parts.map((p) => p.profiles.map((n) => n.number)), [[ALICE, BOB], [ALICE, CAROL]]);
    deepEqual(decodeContent(encodeHistoryPart(parts[1])).profiles, parts[1].profiles);
  }],
];
