// Sending a text, or a content about one (a reaction, an edit, a read receipt…; docs/client.md,
// docs/relay-api.md "Sending"): one copy per device of the peer and per other device of this
// account, each device taken from its account's verified signed
// list, sessions set up (X3DH) where missing, one request to the relay. When the relay says the
// set of devices is wrong (409 DEVICE_MISMATCH) the lists are fetched again and the text
// encrypted again, a few times at most.
//
// A text is stored (status 'sending', and in the outbox) before anything goes out; it leaves the
// outbox when the relay took it ('sent') or refused it for good ('failed', with the refusal's
// code, and for a full queue which devices' queues: failureDetails). A relay that cannot
// be reached leaves it in the outbox, and it is sent when the connection is back. Sending again
// uses the same message id, so a text the relay took twice is still shown once.

import {
  ENVELOPE_PREKEY_MESSAGE, ENVELOPE_RATCHET_MESSAGE, ErrorCode, ProtocolError, initiateSession, toHex,
} from '../protocol/index.js';
import { bytesEqual, fromHex } from '../protocol/bytes.js';
import { ClientError, ClientErrorCode, RelayError } from './errors.js';
import { toBase64 } from './encoding.js';
import { Changes } from './store.js';
import { encodeAttachment, encodeContent, encodeText } from './content.js';
import { Status, advances } from './chats.js';
import { targetDevices } from './directory.js';

// Retries after a DEVICE_MISMATCH: a list can change between the fetch and the send, but not forever.
const MAX_RETRIES = 3;

// Tries of a sync message when the relay asks to wait (a long history is many sends in a row).
const RATE_LIMIT_TRIES = 5;

// Failures after which a text stays in the outbox, to be sent when the connection is back.
const TRANSIENT = new Set([ClientErrorCode.UNREACHABLE, ClientErrorCode.LOGGED_OUT]);

// What a refusal says beyond its code that the page needs to explain it. A full queue (507
// QUEUE_FULL, docs/relay-api.md): nothing was sent, and `queues` names each full device queue
// ({ number, deviceId, limit: 'envelopes' | 'bytes', max }), with `own` when it is one of this
// account's devices (which its user can connect, or remove on the phone).
export function failureDetails(error, ownNumber) {
  if (!(error instanceof RelayError) || error.code !== 'QUEUE_FULL') return {};
  const listed = Array.isArray(error.details?.queues) ? error.details.queues : [];
  const queues = listed
    .filter((q) => q && typeof q.number === 'string' && Number.isSafeInteger(q.deviceId))
    .map((q) => ({
      number: q.number,
      deviceId: q.deviceId,
      limit: q.limit === 'bytes' ? 'bytes' : 'envelopes',
      max: Number.isSafeInteger(q.max) ? q.max : 0,
      own: q.number === ownNumber,
    }));
  return { queues };
}

function isMismatch(error) {
  return error instanceof RelayError && error.status === 409 && error.code === 'DEVICE_MISMATCH';
}

// The envelope kind of a session message: a prekey message while the session is pending.
function kindOf(wire) {
  return wire[1] === 0x02 ? ENVELOPE_PREKEY_MESSAGE : ENVELOPE_RATCHET_MESSAGE;
}

export class Sender {
  #storage;
  #auth;
  #directory;
  #sessions;
  #chats;
  #source;
  #self;
  #serial;
  #emit;
  #onError;
  #inFlight = new Set();

  // self() returns the device record; serial is the device's step queue; emit(type, detail)
  // raises the Device's events; onError(error) takes what no caller waits on.
  constructor({ storage, auth, directory, sessions, chats, source, self, serial, emit, onError }) {
    this.#storage = storage;
    this.#auth = auth;
    this.#directory = directory;
    this.#sessions = sessions;
    this.#chats = chats;
    this.#source = source;
    this.#self = self;
    this.#serial = serial;
    this.#emit = emit;
    this.#onError = onError;
  }

  // Stores the text (status 'sending') and starts sending it; resolves to the stored text. quote:
  // { id, author, body } of the message it answers.
  async send(peer, body, { quote } = {}) {
    const self = this.#self();
    const message = {
      id: toHex(await this.#source.bytes(16)),
      peer,
      from: self.number,
      fromDevice: self.deviceId,
      outgoing: true,
      body,
      timestamp: Date.now(),
      status: Status.SENDING,
    };
    if (quote) message.quote = quote;
    const entry = { id: message.id, peer, body, timestamp: message.timestamp, quote };
    await this.#serial(async () => {
      const changes = new Changes();
      await this.#chats.add(changes, message);
      changes.put('outbox', message.id, entry);
      await changes.commit(this.#storage);
    });
    this.#emit('message', message);
    this.#deliver(entry).catch(this.#onError);
    return message;
  }

  // Stores a message with a file (status 'sending', its attachment without a blob yet) and the file
  // itself; the file is uploaded by the caller, then sent with sendUploaded. Resolves to the message.
  async addFileMessage(peer, body, attachment, file) {
    const self = this.#self();
    const message = {
      id: toHex(await this.#source.bytes(16)), peer, from: self.number, fromDevice: self.deviceId, outgoing: true,
      body, timestamp: Date.now(), status: Status.SENDING, attachment,
    };
    await this.#serial(async () => {
      const changes = new Changes();
      await this.#chats.add(changes, message);
      changes.put('files', message.id, file);
      await changes.commit(this.#storage);
    });
    this.#emit('message', message);
    return message;
  }

  // The file of message id is on the relay (pointer): the message takes the pointer and goes into
  // the outbox, to be sent as a text is.
  async sendUploaded(id, pointer) {
    const entry = await this.#serial(async () => {
      const changes = new Changes();
      const message = await this.#chats.update(changes, id, (held) => ({ ...held, attachment: pointer }));
      const queued = { id, peer: message.peer, body: message.body, timestamp: message.timestamp, attachment: pointer };
      changes.put('outbox', id, queued);
      await changes.commit(this.#storage);
      return queued;
    });
    this.#deliver(entry).catch(this.#onError);
  }

  // A file message whose upload failed: failed, with why (the relay's code), for the page to offer a retry.
  async failUpload(id, error) {
    await this.#finish(id, Status.FAILED, error.code ?? 'UPLOAD_FAILED', failureDetails(error, this.#self().number));
  }

  // A content about the conversation with peer (a reaction, an edit, a deletion, a read receipt, a
  // profile), to peer's devices and this account's other ones (with peer), or with ownOnly to this
  // account's other devices alone (peer, when given, still names the conversation). apply(changes)
  // makes the same change here, in the step that puts it in the outbox: what this device shows
  // and what it will send never part. Sent again after a lost connection, as texts are.
  async sendContent(peer, content, { ownOnly = false, apply = async () => [] } = {}) {
    const entry = {
      id: toHex(await this.#source.bytes(16)), peer, timestamp: Date.now(), content, ownOnly,
    };
    const events = await this.#serial(async () => {
      const changes = new Changes();
      const raised = await apply(changes);
      changes.put('outbox', entry.id, entry);
      await changes.commit(this.#storage);
      return raised;
    });
    for (const [type, detail] of events ?? []) this.#emit(type, detail);
    this.#deliver(entry).catch(this.#onError);
    return entry.id;
  }

  // A content only for the devices connected at this moment (typing…): nothing is stored, on this
  // device or the relay, and a failure is nobody's concern.
  async sendOnline(peer, content) {
    const entry = { id: toHex(await this.#source.bytes(16)), peer, timestamp: Date.now(), content, online: true };
    try {
      await this.#post(entry);
    } catch {
      // Missed: the next signal says the same.
    }
  }

  // A sync message to one other device of this account alone (a history part for a companion this
  // primary linked), encrypted in its own step; the relay is asked with "sync" so that it checks
  // only that device. Resolves to the message id (hex).
  async sendSync(deviceId, plaintext) {
    const messageId = await this.#source.bytes(16);
    const timestamp = Date.now();
    for (let retry = 0; ; retry++) {
      const request = await this.#serial(() => this.#encryptSync(deviceId, plaintext, messageId, timestamp));
      try {
        await this.#auth.callWaitingOutLimits('POST', '/v1/messages', request, RATE_LIMIT_TRIES);
        return toHex(messageId);
      } catch (error) {
        if (!isMismatch(error) || retry >= MAX_RETRIES) throw error;
        await this.#serial(() => this.#forgetMismatched(error.details.mismatches));
      }
    }
  }

  async #encryptSync(deviceId, plaintext, messageId, timestamp) {
    const self = this.#self();
    const account = await this.#directory.known(self.number);
    const device = targetDevices(account).find((d) => d.id === deviceId);
    if (!device || deviceId === self.deviceId) {
      throw new ClientError(ClientErrorCode.INVALID_ARGUMENT,
        `device ${deviceId} is not another device of this account's signed device list`);
    }
    const changes = new Changes();
    const message = await this.#copy(changes, self.number, device, plaintext);
    await changes.commit(this.#storage);
    return { messageId: toBase64(messageId), timestamp, sync: true, recipients: [{ number: self.number, messages: [message] }] };
  }

  // One device's copy, with the session held (or a new one where none is held, or the held one is
  // with an identity the list no longer gives the device); the stepped session goes into changes.
  async #copy(changes, number, device, plaintext) {
    const self = this.#self();
    const held = await this.#sessions.load(number, device.id);
    let session = held[0] && bytesEqual(held[0].remoteIdentity, device.identity) ? held[0] : null;
    let { registrationId } = device;
    if (!session) {
      const fetched = await this.#directory.bundle(number, device.id);
      registrationId = fetched.registrationId;
      session = await initiateSession(this.#source, self.identity, fetched.bundle);
    }
    const wire = await session.encrypt(plaintext);
    this.#sessions.put(changes, number, device.id, held, session);
    return { deviceId: device.id, registrationId, kind: kindOf(wire), content: toBase64(wire) };
  }

  // Sends every text still in the outbox, oldest first (called when the connection is back).
  async flush() {
    const waiting = (await this.#storage.list('outbox')).map(({ value }) => value);
    waiting.sort((a, b) => a.timestamp - b.timestamp);
    for (const entry of waiting) await this.#deliver(entry);
  }

  // One entry of the outbox to the relay (unless it is on its way already). A text's status
  // follows; any other content simply leaves the outbox (a refusal of it is for good, and there
  // is nothing of it to show).
  async #deliver(entry) {
    if (this.#inFlight.has(entry.id)) return;
    this.#inFlight.add(entry.id);
    try {
      let outcome;
      try {
        await this.#post(entry);
        outcome = [Status.SENT];
      } catch (error) {
        if (TRANSIENT.has(error.code)) return;
        if (entry.content) this.#onError(error);
        outcome = [Status.FAILED, error.code ?? 'FAILED', failureDetails(error, this.#self().number)];
      }
      if (entry.content) await this.#serial(() => this.#storage.delete('outbox', entry.id));
      else await this.#finish(entry.id, ...outcome);
    } finally {
      this.#inFlight.delete(entry.id);
    }
  }

  // A failed text keeps why (the refusal's code), for the page to say and to offer a retry.
  async #finish(id, status, error, details = {}) {
    const updated = await this.#serial(async () => {
      const changes = new Changes();
      changes.delete('outbox', id);
      const changed = await this.#chats.update(changes, id, (message) => (advances(message.status, status)
        ? { ...message, status, ...(error ? { error } : {}) } : null));
      await changes.commit(this.#storage);
      return changed;
    });
    if (updated) this.#emit('message-status', error ? { id, status, error, ...details } : { id, status });
  }

  // Sends a text that failed again, under the same id; resolves to the text, 'sending' again.
  async retry(id) {
    const retried = await this.#serial(async () => {
      const changes = new Changes();
      const message = await this.#chats.update(changes, id, (held) => {
        if (held.status !== Status.FAILED) return null;
        const { error, ...rest } = held;
        return { ...rest, status: Status.SENDING };
      });
      if (!message) return null;
      const entry = {
        id, peer: message.peer, body: message.body, timestamp: message.timestamp, quote: message.quote,
        attachment: message.attachment,
      };
      changes.put('outbox', id, entry);
      await changes.commit(this.#storage);
      return { message, entry };
    });
    if (!retried) throw new ClientError(ClientErrorCode.UNKNOWN_MESSAGE, `no failed text ${id} to send again`);
    this.#emit('message-status', { id, status: Status.SENDING });
    this.#deliver(retried.entry).catch(this.#onError);
    return retried.message;
  }

  async #post(entry) {
    for (let retry = 0; ; retry++) {
      const request = await this.#serial(() => this.#encrypt(entry));
      if (request === null) return null; // no device to send it to
      try {
        return await this.#auth.call('POST', '/v1/messages', request);
      } catch (error) {
        if (!isMismatch(error) || retry >= MAX_RETRIES) throw error;
        await this.#serial(() => this.#forgetMismatched(error.details.mismatches));
      }
    }
  }

  // The two plaintexts of an entry: for the peer's devices, and for this account's other devices
  // (naming the conversation).
  #plaintexts({ peer, body, timestamp, quote, content, attachment }) {
    if (attachment) {
      const file = { attachment, caption: body === '' ? undefined : body, ts: timestamp, quote };
      return { forPeer: encodeAttachment(file), forOwn: encodeAttachment({ ...file, peer }) };
    }
    if (!content) return { forPeer: encodeText(body, timestamp, undefined, quote), forOwn: encodeText(body, timestamp, peer, quote) };
    return { forPeer: encodeContent(content), forOwn: encodeContent({ ...content, peer: peer ?? undefined }) };
  }

  // The request: a copy for every device of the accounts but this one, each encrypted with the
  // session held or a new one (#copy). The stepped sessions are stored before the relay sees the
  // copies: a session that forgot a step would encrypt the next message with the same message
  // keys. null when there is no device to send to (an own-only content, and no other device).
  async #encrypt(entry) {
    const self = this.#self();
    const { id, peer, timestamp, ownOnly, online } = entry;
    const numbers = ownOnly || peer === self.number ? [self.number] : [peer, self.number];
    const { forPeer, forOwn } = this.#plaintexts(entry);
    const changes = new Changes();
    const recipients = [];
    for (const number of numbers) {
      const account = await this.#directory.known(number);
      const own = number === self.number;
      const messages = [];
      for (const device of targetDevices(account)) {
        if (own && device.id === self.deviceId) continue;
        messages.push(await this.#copy(changes, number, device, own ? forOwn : forPeer));
      }
      // The sender's own account is named only when it has other devices (the relay checks it anyway).
      if (messages.length > 0 || number === peer) recipients.push({ number, messages });
    }
    if (recipients.length === 0) return null;
    await changes.commit(this.#storage);
    const request = { messageId: toBase64(fromHex(id)), timestamp, recipients };
    if (online) request.online = true;
    return request;
  }

  // Drops the sessions the relay called stale or extra and fetches each mismatched account again.
  async #forgetMismatched(mismatches) {
    if (!Array.isArray(mismatches)) throw new ProtocolError(ErrorCode.MALFORMED, 'a DEVICE_MISMATCH without mismatches');
    const changes = new Changes();
    for (const { number, stale = [], extra = [] } of mismatches) {
      for (const deviceId of [...stale, ...extra]) this.#sessions.forget(changes, number, deviceId);
    }
    await changes.commit(this.#storage);
    for (const { number } of mismatches) await this.#directory.refresh(number);
  }
}

