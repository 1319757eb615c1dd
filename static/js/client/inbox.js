// What a received envelope does: a delivery receipt moves a sent text to 'delivered'; a message is
// opened and its content taken in (a text into its conversation, a history part from the
// account's primary into the conversations, a reaction, edit, deletion or read receipt onto the
// text it names, a name or the account's settings into the profiles), and everything it changed
// is stored in one write before the envelope is acknowledged, so an acknowledged message is never
// lost and one the relay delivers again is recognised by its id.

import {
  ENVELOPE_DELIVERY_RECEIPT, ErrorCode, PRIMARY_DEVICE_ID, ProtocolError, toHex,
} from '../protocol/index.js';
import { RelayError } from './errors.js';
import { Changes } from './store.js';
import {
  ATTACHMENT, ContentLimits, DELETE, DELETE_FOR_ME, EDIT, HISTORY, PROFILE, REACTION, READ, SETTINGS, TEXT, TYPING, decodeContent,
} from './content.js';
import { Status } from './chats.js';

// A refusal that would be the same next time: the message can never be read, so it is
// acknowledged. A sender whose account key changed is not one: its messages stay on the relay.
// Nor is a relay that cannot be reached: the message comes again on the next connection.
function isPermanent(error) {
  if (error instanceof ProtocolError) return error.code !== ErrorCode.ACCOUNT_MISMATCH;
  return error instanceof RelayError && error.status === 404;
}

export class Inbox {
  #storage;
  #chats;
  #opener;
  #history;
  #profiles;
  #self;
  #serial;
  #emit;

  // self() returns the device record ({ number, ... }); serial is the device's step queue;
  // emit(type, detail) raises the Device's events.
  constructor({ storage, chats, opener, history, profiles, self, serial, emit }) {
    this.#storage = storage;
    this.#chats = chats;
    this.#opener = opener;
    this.#history = history;
    this.#profiles = profiles;
    this.#self = self;
    this.#serial = serial;
    this.#emit = emit;
  }

  // Resolves to true once the envelope may be acknowledged; rejects when it must stay on the relay.
  receive(envelope) {
    const id = toHex(envelope.messageId);
    if (envelope.kind === ENVELOPE_DELIVERY_RECEIPT) return this.#serial(() => this.#receipt(id, envelope));
    return this.#serial(() => this.#message(id, envelope));
  }

  async #receipt(id, envelope) {
    // The text has left the outbox for good, even if the relay's answer to the send was lost.
    const updated = await this.#chats.setStatus(id, Status.DELIVERED, [{ store: 'outbox', key: id, value: undefined }]);
    this.#emit('receipt', { id, from: envelope.source, fromDevice: envelope.sourceDevice });
    if (updated) this.#emit('message-status', { id, status: updated.status });
    return true;
  }

  async #message(id, envelope) {
    const changes = new Changes();
    if (await this.#chats.has(changes, id)) return true;
    let content;
    try {
      content = decodeContent(await this.#opener.open(envelope, changes));
    } catch (error) {
      if (!isPermanent(error)) throw error;
      // Stored with whatever the opening changed: a session that decrypted a message it could
      // not use must still not decrypt it again.
      this.#chats.markSeen(changes, id);
      await changes.commit(this.#storage);
      return true;
    }
    if (content.unknown) return this.#unsupported(id, envelope, content, changes);
    if (content.type === TEXT) return this.#text(id, envelope, content, changes);
    if (content.type === ATTACHMENT) return this.#attachment(id, envelope, content, changes);
    if (content.type === HISTORY && this.#fromOwnPrimary(envelope)) return this.#historyPart(id, content, changes);
    // Everything else changes what is shown, or nothing: a history from anyone but the account's
    // primary, a change its sender may not make, or a target this device does not hold is
    // dropped without a trace (and acknowledged, so that the queue moves on).
    const handle = this.#changes[content.type];
    const events = handle ? await handle(envelope, content, changes) : [];
    // A typing signal comes only once (online, never queued): its id need not be remembered, and
    // remembering every one would grow the store while people type.
    if (content.type !== TYPING) this.#chats.markSeen(changes, id);
    await changes.commit(this.#storage);
    for (const [type, detail] of events ?? []) this.#emit(type, detail);
    return true;
  }

  #fromOwnAccount(envelope) {
    return envelope.source === this.#self().number;
  }

  // What each content about other messages does, once decoded: resolves to the events to raise
  // after it is stored ([[type, detail]]).
  #changes = {
    [REACTION]: async (envelope, { target, emoji, ts }, changes) => {
      const message = await this.#chats.find(target, changes);
      // Someone reacts in their conversation with this account; this account, in any.
      if (!message || message.deleted || (!this.#fromOwnAccount(envelope) && message.peer !== envelope.source)) return [];
      const updated = await this.#chats.react(changes, target, envelope.source, emoji, ts);
      return updated ? [['message-changed', updated]] : [];
    },
    [EDIT]: async (envelope, { target, body, ts }, changes) => {
      const message = await this.#chats.find(target, changes);
      if (!message || message.from !== envelope.source || ts - message.timestamp > ContentLimits.EDIT_WINDOW_MS) return [];
      const updated = await this.#chats.edit(changes, target, body, ts);
      return updated ? [['message-changed', updated]] : [];
    },
    [DELETE]: async (envelope, { target, ts }, changes) => {
      const message = await this.#chats.find(target, changes);
      if (!message || message.from !== envelope.source || ts - message.timestamp > ContentLimits.DELETE_WINDOW_MS) return [];
      const updated = await this.#chats.markDeleted(changes, target);
      return updated ? [['message-changed', updated]] : [];
    },
    [DELETE_FOR_ME]: async (envelope, { targets }, changes) => {
      if (!this.#fromOwnAccount(envelope)) return [];
      const removed = [];
      for (const target of targets) {
        const message = await this.#chats.remove(changes, target);
        if (message) removed.push(['message-removed', { id: message.id, peer: message.peer }]);
      }
      return removed;
    },
    [READ]: async (envelope, { targets, peer }, changes) => {
      if (this.#fromOwnAccount(envelope)) {
        // Read on another device of this account: the conversation is read here too.
        if (!peer) return [];
        const read = await this.#chats.markRead(changes, peer, targets);
        return read.length ? [['conversation-read', { peer }]] : [];
      }
      // A read receipt: shown only while this account sends its own (WhatsApp's rule, both ways).
      if (!(await this.#profiles.settings()).readReceipts) return [];
      const events = [];
      for (const target of targets) {
        const message = await this.#chats.find(target, changes);
        if (!message?.outgoing || message.peer !== envelope.source) continue;
        const updated = await this.#chats.setStatusIn(changes, message, Status.READ);
        if (updated) events.push(['message-status', { id: target, status: updated.status }]);
      }
      return events;
    },
    [TYPING]: async (envelope, { typing }) => (this.#fromOwnAccount(envelope) ? []
      : [['typing', { peer: envelope.source, typing }]]),
    [PROFILE]: async (envelope, { name, ts }, changes) => {
      const changed = await this.#profiles.take(changes, envelope.source, name, ts);
      return changed ? [['profile', { number: envelope.source, name }]] : [];
    },
    [SETTINGS]: async (envelope, { readReceipts, ts }, changes) => {
      if (!this.#fromOwnAccount(envelope)) return [];
      return (await this.#profiles.takeSettings(changes, { readReceipts }, ts)) ? [['settings', { readReceipts }]] : [];
    },
  };

  #fromOwnPrimary(envelope) {
    return envelope.source === this.#self().number && envelope.sourceDevice === PRIMARY_DEVICE_ID;
  }

  async #text(id, envelope, content, changes) {
    const message = this.#entry(id, envelope, content.peer, { body: content.body, timestamp: content.ts });
    return this.#show(changes, content.quote ? { ...message, quote: content.quote } : message);
  }

  // A file with its caption (the body): its pointer is kept with it, the file downloaded when shown.
  async #attachment(id, envelope, content, changes) {
    const message = this.#entry(id, envelope, content.peer, { body: content.caption ?? '', timestamp: content.ts });
    message.attachment = content.attachment;
    if (content.quote) message.quote = content.quote;
    return this.#show(changes, message);
  }

  // A content of a later client: acknowledged, and shown in its conversation as a message that
  // needs a newer version, so that nothing arrives unseen and the queue never stops at it.
  async #unsupported(id, envelope, content, changes) {
    const message = this.#entry(id, envelope, content.peer, { body: '', timestamp: envelope.timestamp });
    return this.#show(changes, { ...message, unsupported: content.type });
  }

  #entry(id, envelope, peer, { body, timestamp }) {
    const outgoing = envelope.source === this.#self().number;
    return {
      id,
      // Only the account's own devices say which conversation a message belongs to; anyone
      // else's message belongs to the conversation with them.
      peer: outgoing ? (peer ?? envelope.source) : envelope.source,
      from: envelope.source,
      fromDevice: envelope.sourceDevice,
      outgoing,
      body,
      timestamp,
      status: outgoing ? Status.SENT : Status.DELIVERED,
    };
  }

  async #show(changes, message) {
    await this.#chats.add(changes, message, { unread: !message.outgoing });
    await changes.commit(this.#storage);
    this.#emit('message', message);
    return true;
  }

  async #historyPart(id, content, changes) {
    const progress = await this.#history.ingest(changes, content);
    this.#chats.markSeen(changes, id);
    await changes.commit(this.#storage);
    for (const name of progress.names) this.#emit('profile', name);
    this.#emit('history-progress', { part: progress.part, parts: progress.parts });
    if (progress.done) this.#emit('history-done', {});
    return true;
  }
}
