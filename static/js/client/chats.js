// The conversations as this device shows them: texts (sent from any device of the account, or
// received), their delivery status, and per conversation the last text and the unread count.
//
// A text is stored under peer/time/id, so one conversation is one key range in time order; the
// `seen` store maps every message id this device has taken in to that key, which is what
// de-duplicates a message the relay delivers again or the history repeats, and what finds the
// text a delivery receipt is about.

export const Status = Object.freeze({ SENDING: 'sending', SENT: 'sent', DELIVERED: 'delivered', FAILED: 'failed' });

const RANK = { sending: 0, failed: 1, sent: 2, delivered: 3 };

// A status only moves forward (a receipt can overtake the relay's answer to the send), and a
// text fails only while it is still being sent.
function advances(current, next) {
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
  // false for a message id already taken in. unread counts it as unread in its conversation.
  async add(changes, message, { unread = false } = {}) {
    if (await this.has(changes, message.id)) return false;
    const key = messageKey(message.peer, message.timestamp, message.id);
    changes.put('messages', key, message);
    changes.put('seen', message.id, { key });
    const conversation = changes.pending('conversations', message.peer) ??
      (await this.#storage.get('conversations', message.peer)) ??
      { peer: message.peer, lastMessage: null, unread: 0 };
    const newer = !conversation.lastMessage || conversation.lastMessage.timestamp <= message.timestamp;
    changes.put('conversations', message.peer, {
      peer: message.peer,
      lastMessage: newer
        ? lastMessageOf(message)
        : conversation.lastMessage,
      unread: conversation.unread + (unread ? 1 : 0),
    });
    return true;
  }

  async find(id) {
    const seen = await this.#storage.get('seen', id);
    if (!seen?.key) return null;
    return (await this.#storage.get('messages', seen.key)) ?? null;
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

  async conversations() {
    const all = (await this.#storage.list('conversations')).map(({ value }) => value);
    return all.sort((a, b) => (b.lastMessage?.timestamp ?? 0) - (a.lastMessage?.timestamp ?? 0));
  }

  async messages(peer) {
    return (await this.#storage.list('messages', `${peer}/`)).map(({ value }) => value);
  }

  // Every text since the time (ms), oldest first, as a history part carries it: what a primary
  // sends a companion it linked. Texts that failed to send, or are still being sent, are left out
  // (the companion could not tell them from sent ones); so are messages shown only as unsupported.
  async history(since) {
    const texts = (await this.#storage.list('messages')).map(({ value }) => value)
      .filter((m) => m.timestamp >= since && !m.unsupported && m.status !== Status.FAILED && m.status !== Status.SENDING);
    texts.sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
    return texts.map(({ id, peer, from, fromDevice, outgoing, body, timestamp }) =>
      ({ id, peer, from, fromDevice, outgoing, body, ts: timestamp }));
  }

  async markRead(peer) {
    const conversation = await this.#storage.get('conversations', peer);
    if (conversation && conversation.unread !== 0) {
      await this.#storage.put('conversations', peer, { ...conversation, unread: 0 });
    }
  }
}

// What the chat list shows of a conversation's newest message.
function lastMessageOf({ body, timestamp, outgoing, unsupported }) {
  return unsupported ? { body, timestamp, outgoing, unsupported } : { body, timestamp, outgoing };
}
