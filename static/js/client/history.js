// The history a primary sends a new companion (docs/linking.md, "After linking: history"):
// content of type `history`, in parts numbered 1..parts, each with texts of the primary's recent
// chats as it shows them (status, quote, latest edit, deletion, reactions) and the names of the
// people in them. The primary sends it (HistorySender, the twin of the Java client's); the companion takes
// the texts into their conversations (HistoryIngest: unread only where they are unread on the phone),
// each once however often it comes (live and in the history, or a part the relay delivered again).

import { messageOfHistoryEntry } from './chats.js';
import { encodeHistoryPart, splitHistory } from './content.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export class HistorySender {
  #chats;
  #profiles;
  #sender;
  #self; // () => the device's record

  constructor({ chats, profiles, sender, self }) {
    this.#chats = chats;
    this.#profiles = profiles;
    this.#sender = sender;
    this.#self = self;
  }

  // Sends the texts of the last `days` days (0: none, but still the one empty part that says the
  // history is complete) to the companion, one part after the other so that they arrive in order.
  // onProgress({ part, parts }) follows each part the relay took. Resolves to { texts, parts }.
  async send(deviceId, days, onProgress = () => {}) {
    const since = Date.now() - days * DAY_MS;
    const recent = days === 0 ? [] : (await this.#chats.history(since));
    const parts = splitHistory(recent, this.#self().number, await this.#profiles.all());
    for (const part of parts) {
      await this.#sender.sendSync(deviceId, encodeHistoryPart(part));
      onProgress({ part: part.part, parts: part.parts });
    }
    return { texts: parts.reduce((sum, p) => sum + p.messages.length, 0), parts: parts.length };
  }
}

const PROGRESS_KEY = 'history';

export class HistoryIngest {
  #storage;
  #chats;
  #profiles;

  constructor(storage, chats, profiles) {
    this.#storage = storage;
    this.#chats = chats;
    this.#profiles = profiles;
  }

  // Adds one part's texts and names to changes. Returns { part, parts, done, names }: done once
  // every part of the transfer has come (in any order), names those that changed ({ number, name }).
  async ingest(changes, { part, parts, messages, profiles }) {
    for (const entry of messages) {
      const { message, unread } = messageOfHistoryEntry(entry);
      await this.#chats.add(changes, message, { unread });
    }
    const names = [];
    for (const { number, name, ts } of profiles) {
      if (await this.#profiles.take(changes, number, name, ts)) names.push({ number, name });
    }
    const progress = await this.#storage.get('state', PROGRESS_KEY);
    // A transfer with another number of parts is a new one (the primary sent its history again).
    const received = new Set(progress?.parts === parts ? progress.received : []);
    received.add(part);
    changes.put('state', PROGRESS_KEY, { parts, received: [...received].sort((a, b) => a - b) });
    return { part, parts, done: received.size === parts, names };
  }
}
