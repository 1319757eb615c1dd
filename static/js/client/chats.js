// The conversations as this device shows them: texts (sent from any device of the account, or
// received), their delivery status (up to read), their reactions, edits and deletions, and per
// conversation the last text, the unread count and until when its notifications are muted. Who may change a text is the inbox's to
// check; this module only keeps what it was told.
//
// A text is stored under peer/time/id, so one conversation is one key range in time order; the
// `seen` store maps every message id this device has taken in to that key, which is what
// de-duplicates a message the relay delivers again or the history repeats, and what finds the
// text a delivery receipt is about.

export const Status = Object.freeze({
  SENDING: 'sending', SENT: 'sent', DELIVERED: 'delivered', READ: 'read', FAILED: 'failed',
});

// A conversation muted until this time is muted for good.
export const ALWAYS_MUTED = Number.MAX_SAFE_INTEGER;

// Whether the conversation's notifications are muted at the time (ms).
export function isMuted(conversation, now = Date.now()) {
  return (conversation?.mutedUntil ?? 0) > now;
}

const RANK = { sending: 0, failed: 1, sent: 2, delivered: 3, read: 4 };

// A status only moves forward (a receipt can overtake the relay's answer to the send), and a
// text fails only while it is still being sent.
export function advances(current, next) {
  if (next === Status.FAILED) return current === Status.SENDING;
  return RANK[next] > RANK[current];
}

// Zero-padded, so that keys sort in time order.
function messageKey(peer, timestamp, id) {
  return `${peer}/${String(timestamp).padStart(16, '0')}/${id}`;
}

export class Chats {
  #storage;

  constructor(storage) {
    this.#storage = storage;
  }

  async has(changes, id) {
    return changes.pending('seen', id) != null || (await this.#storage.get('seen', id)) !== undefined;
  }

  // Records a message id with no text to show (unreadable, or a content this client does not show).
  markSeen(changes, id) {
    changes.put('seen', id, { key: null });
  }

  // Adds a text to its conversation, in the same step as whatever else `changes` holds. Returns
  // false for a message id already taken in. unread counts it as unread in its conversation (and
  // marks the text, so that reading the conversation knows which texts to send read receipts for).
  async add(changes, message, { unread = false } = {}) {
    if (await this.has(changes, message.id)) return false;
    const key = messageKey(message.peer, message.timestamp, message.id);
    changes.put('messages', key, unread ? { ...message, unread: true } : message);
    changes.put('seen', message.id, { key });
    const conversation = changes.pending('conversations', message.peer) ??
      (await this.#storage.get('conversations', message.peer)) ??
      { peer: message.peer, lastMessage: null, unread: 0 };
    const newer = !conversation.lastMessage || conversation.lastMessage.timestamp <= message.timestamp;
    changes.put('conversations', message.peer, {
      ...conversation,
      peer: message.peer,
      lastMessage: newer
        ? lastMessageOf(message)
        : conversation.lastMessage,
      unread: conversation.unread + (unread ? 1 : 0),
    });
    return true;
  }

  // The text with this id as this step sees it (its own changes first), or null.
  async find(id, changes = null) {
    const seen = changes?.pending('seen', id) ?? (await this.#storage.get('seen', id));
    if (!seen?.key) return null;
    return changes?.pending('messages', seen.key) ?? (await this.#storage.get('messages', seen.key)) ?? null;
  }

  // Changes a stored text with change(message) -> the new message (or null: no change); keeps its
  // conversation's last text in step. Returns the new message, or null.
  async update(changes, id, change) {
    const message = await this.find(id, changes);
    if (!message) return null;
    const updated = change(message);
    if (!updated) return null;
    changes.put('messages', messageKey(message.peer, message.timestamp, id), updated);
    const conversation = changes.pending('conversations', message.peer) ?? (await this.#storage.get('conversations', message.peer));
    if (conversation?.lastMessage?.id === id) {
      changes.put('conversations', message.peer, { ...conversation, lastMessage: lastMessageOf(updated) });
    }
    return updated;
  }

  // One account's reaction to a text: the latest wins; an empty emoji takes it back.
  react(changes, id, number, emoji, ts) {
    return this.update(changes, id, (message) => {
      const reactions = { ...(message.reactions ?? {}) };
      if (reactions[number] && reactions[number].ts > ts) return null;
      if (emoji === '') delete reactions[number];
      else reactions[number] = { emoji, ts };
      return { ...message, reactions };
    });
  }

  // The author's new text; an edit older than the one shown changes nothing.
  edit(changes, id, body, ts) {
    return this.update(changes, id, (message) => {
      if (message.deleted || (message.editedAt ?? 0) > ts) return null;
      return { ...message, body, edited: true, editedAt: ts };
    });
  }

  // Deleted for everyone: what the text said, quoted and drew is gone; the bubble stays, saying so.
  async markDeleted(changes, id) {
    let wasUnread = false;
    const updated = await this.update(changes, id, (message) => {
      if (message.deleted) return null;
      wasUnread = Boolean(message.unread);
      const { quote, reactions, edited, editedAt, unread, attachment, ...rest } = message;
      return { ...rest, body: '', deleted: true };
    });
    if (wasUnread) {
      const conversation = changes.pending('conversations', updated.peer) ?? (await this.#storage.get('conversations', updated.peer));
      changes.put('conversations', updated.peer, { ...conversation, unread: Math.max(0, conversation.unread - 1) });
    }
    return updated;
  }

  // Deleted for me: the text leaves its conversation; its id stays seen, so that the relay
  // delivering it again does not bring it back.
  async remove(changes, id) {
    const message = await this.find(id, changes);
    if (!message) return null;
    changes.delete('messages', messageKey(message.peer, message.timestamp, id));
    changes.put('seen', id, { key: null });
    const conversation = changes.pending('conversations', message.peer) ?? (await this.#storage.get('conversations', message.peer));
    if (conversation) {
      const rest = (await this.messages(message.peer)).filter((m) => m.id !== id && changes.pending('seen', m.id)?.key !== null);
      const last = rest.at(-1);
      changes.put('conversations', message.peer, {
        ...conversation,
        lastMessage: last ? lastMessageOf(last) : null,
        unread: rest.filter((m) => m.unread).length,
      });
    }
    return message;
  }

  // Moves a text to a later status; returns the text, or null when it is unknown or already there.
  async setStatus(id, status, extraChanges = []) {
    const message = await this.find(id);
    if (!message || !advances(message.status, status)) return null;
    const updated = { ...message, status };
    await this.#storage.write([
      { store: 'messages', key: messageKey(message.peer, message.timestamp, id), value: updated },
      ...extraChanges,
    ]);
    return updated;
  }

  // setStatus, in a step's changes.
  setStatusIn(changes, message, status) {
    return this.update(changes, message.id, (held) => (advances(held.status, status) ? { ...held, status } : null));
  }

  // Notifications of the conversation muted until the time (ms; ALWAYS_MUTED for good, 0 to unmute).
  async setMuted(changes, peer, mutedUntil) {
    const conversation = changes.pending('conversations', peer) ?? (await this.#storage.get('conversations', peer)) ??
      { peer, lastMessage: null, unread: 0 };
    const { mutedUntil: _, ...rest } = conversation;
    changes.put('conversations', peer, mutedUntil > 0 ? { ...rest, mutedUntil } : rest);
  }

  async conversation(peer) {
    return (await this.#storage.get('conversations', peer)) ?? null;
  }

  async conversations() {
    const all = (await this.#storage.list('conversations')).map(({ value }) => value);
    return all.sort((a, b) => (b.lastMessage?.timestamp ?? 0) - (a.lastMessage?.timestamp ?? 0));
  }

  // Every text this device holds, of every conversation.
  async all() {
    return (await this.#storage.list('messages')).map(({ value }) => value);
  }

  async messages(peer) {
    return (await this.#storage.list('messages', `${peer}/`)).map(({ value }) => value);
  }

  // Every text since the time (ms), oldest first, as a history part carries it (content.js,
  // decodeHistoryEntry): what a primary sends a companion it linked, with what it shows of each
  // text. Texts that failed to send, or are still being sent, are left out (the companion could
  // not tell them from sent ones); so are messages shown only as unsupported.
  async history(since) {
    const texts = (await this.#storage.list('messages')).map(({ value }) => value)
      .filter((m) => m.timestamp >= since && !m.unsupported && m.status !== Status.FAILED && m.status !== Status.SENDING);
    texts.sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
    return texts.map(historyEntryOf);
  }

  // Marks texts of the conversation read: all of them, or those of `ids` (read on another device
  // of this account). Returns the ids of the texts that were unread.
  async markRead(changes, peer, ids = null) {
    const wanted = ids ? new Set(ids) : null;
    const read = [];
    for (const message of await this.messages(peer)) {
      if (!message.unread || (wanted && !wanted.has(message.id))) continue;
      changes.put('messages', messageKey(peer, message.timestamp, message.id), { ...message, unread: false });
      read.push(message.id);
    }
    const conversation = changes.pending('conversations', peer) ?? (await this.#storage.get('conversations', peer));
    if (conversation) {
      const unread = wanted ? Math.max(0, conversation.unread - read.length) : 0;
      if (unread !== conversation.unread) changes.put('conversations', peer, { ...conversation, unread });
    }
    return read;
  }
}

function historyEntryOf(message) {
  const { id, peer, from, fromDevice, outgoing, body, timestamp, quote, editedAt, deleted, unread, attachment } = message;
  const entry = {
    id, peer, from, fromDevice, outgoing, body, ts: timestamp,
    status: outgoing ? message.status : (unread ? 'unread' : 'read'),
    reactions: Object.entries(message.reactions ?? {}).map(([number, r]) => ({ from: number, emoji: r.emoji, ts: r.ts })),
  };
  if (quote) entry.quote = quote;
  if (editedAt) entry.editedAt = editedAt;
  if (deleted) entry.deleted = true;
  if (attachment) entry.attachment = attachment;
  return entry;
}

// The text as this device keeps it, from a history entry: `add`'s message and whether it is unread.
export function messageOfHistoryEntry(entry) {
  const { id, peer, from, fromDevice, outgoing, body, ts, status, quote, editedAt, deleted, reactions, attachment } = entry;
  const message = {
    id, peer, from, fromDevice, outgoing, body, timestamp: ts,
    status: outgoing ? status : Status.DELIVERED,
  };
  if (quote) message.quote = quote;
  if (editedAt) Object.assign(message, { edited: true, editedAt });
  if (deleted) message.deleted = true;
  if (attachment) message.attachment = attachment;
  if (reactions.length > 0) {
    message.reactions = Object.fromEntries(reactions.map((r) => [r.from, { emoji: r.emoji, ts: r.ts }]));
  }
  return { message, unread: !outgoing && status === 'unread' };
}

// What the chat list shows of a conversation's newest message.
function lastMessageOf({ id, body, timestamp, outgoing, unsupported, deleted }) {
  const last = { id, body, timestamp, outgoing };
  if (unsupported) last.unsupported = unsupported;
  if (deleted) last.deleted = true;
  return last;
}
