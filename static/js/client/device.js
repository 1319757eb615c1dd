// This browser as a device of an account, in one of two roles:
//   a companion, linked by QR or by phone number + code to a primary; it shows the history its
//   primary sends and can log itself out;
//   the primary (device 1), which registered the number; it links companions (answering their QR
//   or their code), signs them into the account's device list, sends them the history and
//   removes them.
// Either sends and receives end-to-end encrypted texts and lists the account's devices. The
// Device wires the modules of this folder together and keeps the device's state; the UI listens
// to its events.

import {
  Delivery, ErrorCode, PRIMARY_DEVICE_ID, ProtocolError, createIdentity, safetyNumber, secureSource, startCodeLink,
} from '../protocol/index.js';
import { isE164 } from '../protocol/safety.js';
import { ClientError, ClientErrorCode, RelayError } from './errors.js';
import { Changes, IndexedDbStorage } from './store.js';
import { RelayApi } from './api.js';
import { RelayAuth } from './auth.js';
import { AccountDirectory } from './directory.js';
import { SessionStore } from './sessions.js';
import { PreKeys } from './prekeys.js';
import { Chats } from './chats.js';
import { HistoryIngest } from './history.js';
import { EnvelopeOpener } from './opener.js';
import { Inbox } from './inbox.js';
import { Sender } from './messaging.js';
import { DeliveryConnection } from './delivery.js';
import { newRegistrationId, registerCompanion } from './linking.js';
import { MAX_NAME_LENGTH } from './link-uri.js';
import { registerPrimary, requestRegistrationCode } from './registration.js';
import { DeviceListSigner } from './device-list-signer.js';
import { PrimaryLinking } from './primary-linking.js';
import { HistorySender } from './history.js';
import { CodeLink, QrLink } from './provisioning.js';
import {
  ContentLimits, DELETE, DELETE_FOR_ME, EDIT, PROFILE, REACTION, READ, SETTINGS, TYPING, isFileName, textFits,
} from './content.js';
import { downloadFile, imagePreview, sealFile, uploadBlob } from './attachments.js';
import { MAX_ATTACHMENT_SIZE } from '../protocol/limits.js';
import { Profiles } from './profiles.js';
import { serialQueue } from './serial.js';

export const State = Object.freeze({
  UNLINKED: 'unlinked',
  REGISTERING: 'registering', // a registration code was asked for; the number is not this device's yet
  LINKING: 'linking',
  LINKED: 'linked',
  LOGGED_OUT: 'logged-out',
});

const DEVICE_KEY = 'device';
const start = Symbol('start');

function invalid(code, message) {
  return new ClientError(code, message);
}

function requireNumber(number) {
  if (!isE164(number)) {
    throw invalid(ClientErrorCode.INVALID_NUMBER, 'a number is + and 6 to 15 digits, e.g. +8801711000001');
  }
}

// A registration code: the 6 digits the relay's verification sender sent.
function requireRegistrationCode(code) {
  const digits = typeof code === 'string' ? code.replace(/[\s-]/g, '') : '';
  if (!/^[0-9]{6}$/.test(digits)) throw invalid(ClientErrorCode.INVALID_CODE, 'a registration code is 6 digits');
  return digits;
}

// One emoji, however many code points it joins (a family, a flag, a skin tone).
function isOneEmoji(text) {
  if (typeof text !== 'string' || text.length > ContentLimits.MAX_EMOJI_CHARS) return false;
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
  return graphemes.length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(text);
}

function requireName(name) {
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    throw invalid(ClientErrorCode.INVALID_ARGUMENT, `a device name is 1 to ${MAX_NAME_LENGTH} characters`);
  }
  return name.trim();
}

// Browsers give WebCrypto (crypto.subtle), which does all of this device's cryptography, only to
// a secure context: a page over https, or from localhost. Elsewhere (plain http from another
// machine) nothing could work: say so before anything starts. scope: the global object.
export function requireSecureContext(scope = globalThis) {
  if (scope.isSecureContext === false || typeof scope.crypto?.subtle?.generateKey !== 'function') {
    throw new ClientError(ClientErrorCode.INSECURE_CONTEXT,
      'WebCrypto is not available: open the page over https, or from localhost');
  }
}

// Opens the device of this browser profile (or of the given storage): linked, with its
// delivery connection opening, if it was linked before.
//   relayUrl       the relay (default: the page's origin)
//   storage        the storage interface of store.js (default: IndexedDB, database 'quintet')
//   WebSocketImpl  the WebSocket constructor (default: the platform's)
//   fetch          the fetch function (default: the platform's)
// Rejects with INSECURE_CONTEXT where the page has no WebCrypto (see requireSecureContext).
export async function openDevice({
  relayUrl = globalThis.location?.origin, storage, WebSocketImpl = globalThis.WebSocket, fetch,
} = {}) {
  requireSecureContext();
  if (typeof WebSocketImpl !== 'function') {
    throw invalid(ClientErrorCode.INVALID_ARGUMENT, 'this platform has no WebSocket: pass WebSocketImpl');
  }
  const api = new RelayApi(relayUrl, fetch);
  const ownsStorage = storage === undefined;
  const device = new Device();
  await device[start]({ api, storage: storage ?? (await IndexedDbStorage.open()), ownsStorage, WebSocketImpl });
  return device;
}

export class Device extends EventTarget {
  #state = State.UNLINKED;
  #record = null; // this device, once linked: number, deviceId, accountKey, name, identity, registrationId
  #loggedOutReason = null;
  #loggedOutPrimary = false;
  #online = false;
  #replaced = false;
  #loggingOut = null;
  #userLogout = false;
  #closed = false;
  #link = null;
  #cancelRequested = false;
  #source = secureSource();
  #api;
  #storage;
  #ownsStorage;
  #WebSocket;
  #serial;
  #chats;
  #preKeys;
  #auth;
  #directory;
  #sender;
  #delivery;
  #primaryLinking;
  #profiles;
  #removeFromList;
  #registeringNumber = null;

  async [start]({ api, storage, ownsStorage, WebSocketImpl }) {
    this.#api = api;
    this.#storage = storage;
    this.#ownsStorage = ownsStorage;
    this.#WebSocket = WebSocketImpl;
    this.#serial = serialQueue();
    const step = (fn) => this.#step(fn);
    const emit = (type, detail) => this.#emit(type, detail);
    const onError = (error) => this.#report(error);
    const self = () => this.#record;
    const sessions = new SessionStore(storage, this.#source);
    this.#chats = new Chats(storage);
    this.#profiles = new Profiles(storage);
    this.#preKeys = new PreKeys(storage, this.#source);
    // While the delivery connection is open, the relay's closing of it says why the device is
    // gone; a device that was away learns only that the relay no longer knows it ('gone', as the
    // Java client says). Not awaited: the auth may find the device gone in the middle of a step,
    // and logging out waits for the step to end.
    this.#auth = new RelayAuth(api, self, () => {
      if (!this.#online) this.#loggedOut('gone');
    });
    this.#directory = new AccountDirectory(storage, this.#auth, self);
    const opener = new EnvelopeOpener({
      sessions, directory: this.#directory, preKeys: this.#preKeys, source: this.#source, identity: () => this.#record.identity,
    });
    const inbox = new Inbox({
      storage, chats: this.#chats, opener, history: new HistoryIngest(storage, this.#chats, this.#profiles), profiles: this.#profiles, self,
      serial: step, emit,
    });
    this.#sender = new Sender({
      storage, auth: this.#auth, directory: this.#directory, sessions, chats: this.#chats, source: this.#source,
      self, serial: step, emit, onError,
    });
    const signer = new DeviceListSigner({ auth: this.#auth, directory: this.#directory, storage, self });
    this.#primaryLinking = new PrimaryLinking({
      auth: this.#auth,
      directory: this.#directory,
      signer,
      history: new HistorySender({ chats: this.#chats, profiles: this.#profiles, sender: this.#sender, self }),
      source: this.#source,
      self,
      emit,
    });
    this.#removeFromList = (deviceId) => signer.remove(deviceId);
    this.#delivery = new DeliveryConnection({
      api,
      auth: this.#auth,
      WebSocketImpl,
      handlers: {
        onEnvelope: (envelope) => inbox.receive(envelope),
        onEvent: (event) => this.#onRelayEvent(event),
        onOnline: () => this.#onOnline(),
        onOffline: ({ replaced }) => this.#onOffline(replaced),
        onLoggedOut: (reason) => this.#loggedOut(reason),
        onError,
      },
    });

    const record = await storage.get('state', DEVICE_KEY);
    if (record?.status === 'linked') {
      this.#record = record;
      this.#state = State.LINKED;
      this.#delivery.start();
    } else if (record?.status === 'logged-out') {
      this.#loggedOutReason = record.reason;
      this.#loggedOutPrimary = record.primary === true;
      this.#state = State.LOGGED_OUT;
    }
  }

  get state() {
    return this.#state;
  }

  // This device's account and place in it; primary: whether it is the account's primary.
  get account() {
    if (this.#state !== State.LINKED) return null;
    const { number, deviceId, name } = this.#record;
    return { number, deviceId, name, primary: deviceId === PRIMARY_DEVICE_ID };
  }

  // While REGISTERING: the number a code was asked for.
  get registeringNumber() {
    return this.#state === State.REGISTERING ? this.#registeringNumber : null;
  }

  get loggedOutReason() {
    return this.#loggedOutReason;
  }

  // Whether the device that was logged out was its account's primary (its number was registered
  // on another phone) rather than a companion.
  get loggedOutPrimary() {
    return this.#loggedOutPrimary;
  }

  // Whether the delivery connection is open (the 'connection' events say when it changes).
  get online() {
    return this.#online;
  }

  // --- registering: this browser becomes the number's primary ---------------------------------------

  // Asks the relay to send a code to the number (again, if one was asked for already). Resolves to
  // { number, expiresInSeconds, sentBy }. Registering a number that has an account ends that
  // account on every device it had: the page says so before asking.
  async requestRegistrationCode(number) {
    requireNumber(number);
    if (this.#state === State.LINKED || this.#state === State.LINKING) {
      throw invalid(ClientErrorCode.WRONG_STATE, `cannot register a device that is ${this.#state}`);
    }
    const sent = await requestRegistrationCode(this.#api, number);
    this.#loggedOutReason = null;
    this.#registeringNumber = number;
    this.#setState(State.REGISTERING);
    return { number, ...sent };
  }

  // Verifies the code: this browser becomes the account's primary, named `name` in its device
  // list. A refused code (WRONG_CODE with attemptsLeft, NO_PENDING_CODE, TOO_MANY_ATTEMPTS) leaves
  // the device REGISTERING.
  async register({ code, name } = {}) {
    const digits = requireRegistrationCode(code);
    const deviceName = requireName(name);
    if (this.#state !== State.REGISTERING) {
      throw invalid(ClientErrorCode.WRONG_STATE, 'no registration code was asked for on this device');
    }
    // Whatever an earlier life of this device left (a logged-out record, an abandoned attempt's keys).
    await this.#storage.clear();
    const record = await registerPrimary({
      api: this.#api, preKeys: this.#preKeys, source: this.#source, number: this.#registeringNumber, code: digits,
      name: deviceName,
    });
    await this.#storage.put('state', DEVICE_KEY, record);
    this.#record = record;
    this.#registeringNumber = null;
    this.#replaced = false;
    this.#setState(State.LINKED);
    this.#emit('linked', this.account);
    this.#delivery.start();
    return this.account;
  }

  cancelRegistration() {
    if (this.#state !== State.REGISTERING) return;
    this.#registeringNumber = null;
    this.#setState(State.UNLINKED);
  }

  // --- the primary: linking and removing companions ------------------------------------------------

  // Links the companion whose QR code holds `uri` (quintet://link?...): signs it into the device
  // list and sends it `historyDays` of history ('history-sending' events follow it). Resolves to
  // { deviceId, name, texts, parts }.
  async linkDevice(uri, options) {
    this.#requirePrimary();
    return this.#primaryLinking.linkByQr(uri, options);
  }

  // Links the companion that asked by this account's number and shows `code`. Refusals:
  // INVALID_CODE, NO_REQUEST, WRONG_CODE (attemptsLeft), LINK_ENDED, TIMEOUT, TOO_MANY_DEVICES.
  async linkDeviceByCode(code, options) {
    this.#requirePrimary();
    return this.#primaryLinking.linkByCode(code, options);
  }

  // The companions that asked to link by number and wait for their code: [{ pairingId, expiresAt }]
  // ('pairing-request' and 'pairing-ended' events say when this changes).
  async pairingRequests() {
    this.#requirePrimary();
    return this.#primaryLinking.pairingRequests();
  }

  // Removes a companion: from the relay, which logs it out, then from the signed list, so that no
  // sender trusts its identity for the account again (also when the relay had let it go already).
  // Resolves to the list's new version.
  async removeDevice(deviceId) {
    this.#requirePrimary();
    if (!Number.isInteger(deviceId) || deviceId < 1) throw invalid(ClientErrorCode.INVALID_ARGUMENT, 'a device id is a positive integer');
    if (deviceId === PRIMARY_DEVICE_ID) {
      throw invalid(ClientErrorCode.INVALID_ARGUMENT, 'the primary cannot remove itself; register the number on another phone instead');
    }
    try {
      await this.#auth.call('DELETE', `/v1/devices/${deviceId}`);
    } catch (error) {
      const gone = error instanceof RelayError && error.code === 'UNKNOWN_DEVICE';
      const listed = gone && (await this.#directory.known(this.#record.number)).devices.some((d) => d.id === deviceId);
      if (!listed) throw error;
    }
    const { account } = await this.#removeFromList(deviceId);
    this.#emit('devices-changed', {});
    return account.listVersion;
  }

  // --- linking ------------------------------------------------------------------------------------

  async startQrLink({ name } = {}) {
    const deviceName = requireName(name);
    await this.#beginLink(deviceName, async (options, identity) =>
      new QrLink(options, { identity, name: deviceName, source: this.#source }));
  }

  async startCodeLink({ number, name } = {}) {
    requireNumber(number);
    const deviceName = requireName(name);
    await this.#beginLink(deviceName, async (options, identity) => {
      const newCodeLink = () => startCodeLink(this.#source, identity.publicKey);
      return new CodeLink(options, { identity, number, codeLink: await newCodeLink(), newCodeLink });
    });
  }

  cancelLink() {
    if (this.#link) this.#link.cancel();
    else if (this.#state === State.LINKING) this.#cancelRequested = true; // the attempt is being set up
  }

  async #beginLink(name, makeAttempt) {
    if (this.#state === State.LINKED || this.#state === State.LINKING || this.#state === State.REGISTERING) {
      throw invalid(ClientErrorCode.WRONG_STATE, `cannot link a companion that is ${this.#state}`);
    }
    this.#loggedOutReason = null;
    this.#cancelRequested = false;
    this.#setState(State.LINKING);
    try {
      // Whatever an earlier life of this device left (a logged-out record, an abandoned attempt's keys).
      await this.#storage.clear();
      const identity = await createIdentity(this.#source);
      const registrationId = newRegistrationId();
      const attempt = await makeAttempt({
        socketUrl: this.#api.webSocketUrl(Delivery.PROVISIONING_PATH),
        WebSocketImpl: this.#WebSocket,
        emit: (type, detail) => this.#emit(type, detail),
        complete: (accepted) => registerCompanion({
          api: this.#api, preKeys: this.#preKeys, identity, registrationId, accepted, name,
        }),
      }, identity);
      this.#link = attempt;
      attempt.outcome.then((outcome) => this.#linkEnded(attempt, outcome)).catch((error) => this.#report(error));
      if (this.#cancelRequested) attempt.cancel();
      await attempt.started;
    } catch (error) {
      this.#setState(State.UNLINKED);
      throw error;
    }
  }

  async #linkEnded(attempt, outcome) {
    if (this.#link !== attempt) return;
    this.#link = null;
    if (outcome.record) {
      try {
        await this.#storage.put('state', DEVICE_KEY, outcome.record);
      } catch (error) {
        this.#report(error);
        this.#setState(State.UNLINKED);
        this.#emit('link-failed', { reason: 'STORAGE_FAILED' });
        return;
      }
      this.#record = outcome.record;
      this.#replaced = false;
      this.#setState(State.LINKED);
      this.#emit('linked', this.account);
      this.#delivery.start();
      return;
    }
    this.#setState(State.UNLINKED);
    if (outcome.reason) this.#emit('link-failed', { reason: outcome.reason });
  }

  // --- chats ----------------------------------------------------------------------------------------

  async conversations() {
    return this.#chats.conversations();
  }

  async messages(peer) {
    requireNumber(peer);
    return this.#chats.messages(peer);
  }

  // Mutes the conversation's notifications until the time (ms since the epoch; ALWAYS_MUTED for
  // good), or unmutes it (0). Kept on this device; 'conversation-muted' follows.
  async muteChat(peer, mutedUntil) {
    requireNumber(peer);
    if (!Number.isSafeInteger(mutedUntil) || mutedUntil < 0) {
      throw invalid(ClientErrorCode.INVALID_ARGUMENT, 'a chat is muted until a time, or 0 to unmute it');
    }
    await this.#serial(async () => {
      const changes = new Changes();
      await this.#chats.setMuted(changes, peer, mutedUntil);
      await changes.commit(this.#storage);
    });
    this.#emit('conversation-muted', { peer, mutedUntil });
  }

  // Every text this device holds (for the page's search, which indexes them here, on the device).
  async allMessages() {
    return this.#chats.all();
  }

  // Marks the conversation read here and on this account's other devices, and tells the peer
  // which of its texts were read (unless this account turned read receipts off).
  async markRead(peer) {
    requireNumber(peer);
    const read = await this.#serial(async () => {
      const changes = new Changes();
      const ids = await this.#chats.markRead(changes, peer);
      await changes.commit(this.#storage);
      return ids;
    });
    if (read.length === 0 || this.#state !== State.LINKED || this.#replaced) return;
    const { readReceipts } = await this.#profiles.settings();
    for (let i = 0; i < read.length; i += ContentLimits.MAX_TARGETS) {
      const content = { type: READ, targets: read.slice(i, i + ContentLimits.MAX_TARGETS), ts: Date.now() };
      await this.#sender.sendContent(peer, content, { ownOnly: !readReceipts });
    }
  }

  // A text, or with replyTo (a message id of the conversation) a reply that quotes it.
  async send(peer, text, { replyTo } = {}) {
    this.#requireActive();
    requireNumber(peer);
    if (typeof text !== 'string' || text.trim() === '') {
      throw invalid(ClientErrorCode.INVALID_ARGUMENT, 'a text is a non-empty string');
    }
    let quote;
    if (replyTo !== undefined) {
      const target = await this.#target(peer, replyTo);
      quote = { id: target.id, author: target.from, body: target.body.slice(0, ContentLimits.MAX_QUOTE_CHARS) };
    }
    if (!textFits(text, Date.now(), peer, quote)) throw invalid(ErrorCode.TOO_LARGE, 'the text is longer than a message may be');
    // Someone written to for the first time learns this account's name with the first text.
    const ownName = await this.#profiles.name(this.#record.number);
    const known = (await this.#chats.conversations()).some((c) => c.peer === peer);
    if (ownName && !known && peer !== this.#record.number) {
      await this.#sender.sendContent(peer, { type: PROFILE, name: ownName, ts: Date.now() });
    }
    return this.#sender.send(peer, text, { quote });
  }

  // Sends a text that was not sent (status 'failed') again; a file whose upload failed is uploaded again.
  async retry(id) {
    this.#requireActive();
    const message = await this.#chats.find(id);
    if (message?.attachment && !message.attachment.blob && message.status === 'failed') {
      const file = await this.#storage.get('files', id);
      if (!file) throw invalid(ClientErrorCode.UNKNOWN_MESSAGE, `the file of ${id} is no longer on this device`);
      await this.#chats.setStatus(id, 'sending');
      this.#emit('message-status', { id, status: 'sending' });
      this.#upload(message, file);
      return message;
    }
    return this.#sender.retry(id);
  }

  // --- files ------------------------------------------------------------------------------------------

  // Sends a file (a Blob or File): shown at once, encrypted under a key of its own, uploaded (events
  // 'attachment-progress' { id, done, total }), then sent. options: caption, fileName (default: the
  // File's name), voiceNote and duration (ms) for a recorded voice note. Resolves to the message.
  async sendFile(peer, file, { caption = '', fileName = file?.name, voiceNote = false, duration } = {}) {
    this.#requireActive();
    requireNumber(peer);
    if (!(file instanceof Blob) || file.size > MAX_ATTACHMENT_SIZE) {
      throw invalid(ClientErrorCode.INVALID_ARGUMENT, `a file is a Blob of at most ${MAX_ATTACHMENT_SIZE} bytes`);
    }
    const contentType = /^[!-.0-~]+\/[!-.0-~]+$/.test(file.type) && file.type.length <= ContentLimits.MAX_CONTENT_TYPE_CHARS
      ? file.type.toLowerCase() : 'application/octet-stream';
    const attachment = { contentType, size: file.size };
    if (isFileName(fileName)) attachment.fileName = fileName;
    if (contentType.startsWith('image/')) Object.assign(attachment, (await imagePreview(file)) ?? {});
    if (voiceNote) attachment.voiceNote = true;
    if (Number.isInteger(duration) && duration >= 0 && duration <= ContentLimits.MAX_DURATION_MS) attachment.duration = duration;
    const message = await this.#sender.addFileMessage(peer, caption, attachment, file);
    this.#upload(message, file);
    return message;
  }

  // Encrypts and uploads a file message's file, then sends the message; a failure fails the message.
  #upload(message, file) {
    const transfer = { api: this.#api, auth: this.#auth };
    const progress = (done, total) => this.#emit('attachment-progress', { id: message.id, done, total });
    (async () => {
      const sealed = await sealFile(file, this.#source);
      const blob = await uploadBlob(transfer, sealed.blob, progress);
      const { blob: _, ...shown } = message.attachment;
      await this.#sender.sendUploaded(message.id, { ...shown, blob, key: sealed.key, digest: sealed.digest });
    })().catch((error) => this.#sender.failUpload(message.id, error));
  }

  // The file of message id, as a Blob: kept on this device, or downloaded, decrypted and checked
  // (events 'attachment-progress' { id, done, total }) and kept from then on.
  async downloadAttachment(id) {
    const kept = await this.#storage.get('files', id);
    if (kept) return kept;
    const message = await this.#chats.find(id);
    if (!message?.attachment?.blob) throw invalid(ClientErrorCode.UNKNOWN_MESSAGE, `no file of a message ${id} here`);
    const file = await downloadFile({ api: this.#api, auth: this.#auth }, message.attachment,
      (done, total) => this.#emit('attachment-progress', { id, done, total }));
    await this.#storage.write([{ store: 'files', key: id, value: file }]);
    return file;
  }

  // Whether the number has an account on this relay (a chat with one that has none could never
  // deliver a message; the page says so when the chat is started).
  async hasAccount(number) {
    this.#requireLinked();
    requireNumber(number);
    try {
      await this.#step(() => this.#directory.known(number));
      return true;
    } catch (error) {
      if (error instanceof RelayError && error.status === 404) return false;
      throw error;
    }
  }

  // This account's reaction to a message of the conversation: one emoji, or '' to take it back.
  async react(peer, id, emoji) {
    this.#requireActive();
    await this.#target(peer, id);
    if (emoji !== '' && !isOneEmoji(emoji)) throw invalid(ClientErrorCode.INVALID_ARGUMENT, 'a reaction is one emoji');
    const ts = Date.now();
    const number = this.#record.number;
    return this.#sender.sendContent(peer, { type: REACTION, target: id, emoji, ts }, {
      apply: async (changes) => {
        const updated = await this.#chats.react(changes, id, number, emoji, ts);
        return updated ? [['message-changed', updated]] : [];
      },
    });
  }

  // A new text for a message this account sent, within ContentLimits.EDIT_WINDOW_MS of sending it.
  async editMessage(peer, id, text) {
    this.#requireActive();
    if (typeof text !== 'string' || text.trim() === '') throw invalid(ClientErrorCode.INVALID_ARGUMENT, 'a text is a non-empty string');
    const target = await this.#ownTarget(peer, id, ContentLimits.EDIT_WINDOW_MS, 'EDIT_WINDOW_PASSED', 'edited');
    const ts = Math.max(Date.now(), target.timestamp);
    return this.#sender.sendContent(peer, { type: EDIT, target: id, body: text, ts }, {
      apply: async (changes) => {
        const updated = await this.#chats.edit(changes, id, text, ts);
        return updated ? [['message-changed', updated]] : [];
      },
    });
  }

  // Deletes a message: for everyone (a message this account sent, within
  // ContentLimits.DELETE_WINDOW_MS), or only from this account's devices.
  async deleteMessage(peer, id, { forEveryone = false } = {}) {
    this.#requireActive();
    if (forEveryone) {
      await this.#ownTarget(peer, id, ContentLimits.DELETE_WINDOW_MS, 'DELETE_WINDOW_PASSED', 'deleted for everyone');
      return this.#sender.sendContent(peer, { type: DELETE, target: id, ts: Date.now() }, {
        apply: async (changes) => {
          const updated = await this.#chats.markDeleted(changes, id);
          return updated ? [['message-changed', updated]] : [];
        },
      });
    }
    await this.#target(peer, id);
    return this.#sender.sendContent(peer, { type: DELETE_FOR_ME, targets: [id], ts: Date.now() }, {
      ownOnly: true,
      apply: async (changes) => ((await this.#chats.remove(changes, id)) ? [['message-removed', { id, peer }]] : []),
    });
  }

  // "typing…" for the peer's devices connected now; never stored anywhere.
  async setTyping(peer, typing) {
    this.#requireActive();
    requireNumber(peer);
    await this.#sender.sendOnline(peer, { type: TYPING, typing: Boolean(typing), ts: Date.now() });
  }

  // The message of the conversation with this id; UNKNOWN_MESSAGE otherwise.
  async #target(peer, id) {
    requireNumber(peer);
    const message = typeof id === 'string' ? await this.#chats.find(id) : null;
    if (!message || message.peer !== peer || message.deleted) {
      throw invalid(ClientErrorCode.UNKNOWN_MESSAGE, `no message ${id} in the conversation with ${peer}`);
    }
    return message;
  }

  // A message this account sent, still within the window of the change.
  async #ownTarget(peer, id, windowMs, tooLate, what) {
    const message = await this.#target(peer, id);
    if (message.from !== this.#record.number) {
      throw invalid(ClientErrorCode.NOT_AUTHOR, `only its author's devices may have a message ${what}`);
    }
    if (Date.now() - message.timestamp > windowMs) {
      throw invalid(tooLate, `a message can be ${what} for ${windowMs / 60_000} minutes after it was sent`);
    }
    return message;
  }

  // --- profiles and settings ----------------------------------------------------------------------

  // The name this account shows to the people it talks to, or null.
  async profileName() {
    this.#requireLinked();
    return this.#profiles.name(this.#record.number);
  }

  // The names other accounts shared: { number: name }.
  async names() {
    return this.#profiles.names();
  }

  // Sets this account's name: on its own devices, and for everyone it has a conversation with.
  async setProfileName(name) {
    this.#requireActive();
    if (typeof name !== 'string' || name.trim() === '' || name.trim().length > ContentLimits.MAX_PROFILE_NAME_CHARS ||
        /[\u0000-\u001f\u007f-\u009f]/.test(name)) {
      throw invalid(ClientErrorCode.INVALID_ARGUMENT, `a name is 1 to ${ContentLimits.MAX_PROFILE_NAME_CHARS} characters`);
    }
    const profile = { type: PROFILE, name: name.trim(), ts: Date.now() };
    const number = this.#record.number;
    await this.#sender.sendContent(null, profile, {
      ownOnly: true,
      apply: async (changes) => ((await this.#profiles.take(changes, number, profile.name, profile.ts))
        ? [['profile', { number, name: profile.name }]] : []),
    });
    for (const { peer } of await this.#chats.conversations()) {
      if (peer !== number) await this.#sender.sendContent(peer, profile);
    }
  }

  async settings() {
    const { readReceipts } = await this.#profiles.settings();
    return { readReceipts };
  }

  // Read receipts off: this account neither sends nor shows them (on all its devices).
  async setReadReceipts(on) {
    this.#requireActive();
    const ts = Date.now();
    const settings = { readReceipts: Boolean(on) };
    await this.#sender.sendContent(null, { type: SETTINGS, ...settings, ts }, {
      ownOnly: true,
      apply: async (changes) => ((await this.#profiles.takeSettings(changes, settings, ts)) ? [['settings', settings]] : []),
    });
  }

  // --- the account ----------------------------------------------------------------------------------

  // The account's devices that its signed device list vouches for, as the relay describes them.
  async devices() {
    this.#requireLinked();
    const { number, deviceId } = this.#record;
    const { answer } = await this.#step(() => this.#directory.fetch(number));
    return answer.devices.map((device) => ({
      deviceId: device.deviceId,
      name: device.name ?? null,
      platform: device.platform ?? null,
      createdAt: device.createdAt ?? null,
      lastSeenAt: device.lastSeenAt ?? null,
      self: device.deviceId === deviceId,
    }));
  }

  // Renames a device in the account's device lists: this one, or (on the primary) another of the
  // account. Resolves to the name the relay keeps.
  async renameDevice(name, deviceId = this.#record?.deviceId) {
    this.#requireLinked();
    const newName = requireName(name);
    if (!Number.isInteger(deviceId) || deviceId < 1) throw invalid(ClientErrorCode.INVALID_ARGUMENT, 'a device id is a positive integer');
    const answer = await this.#auth.call('PUT', `/v1/devices/${deviceId}/name`, { name: newName });
    const kept = typeof answer.name === 'string' ? answer.name : newName;
    if (deviceId === this.#record.deviceId) {
      await this.#step(async () => {
        this.#record = { ...this.#record, name: kept };
        await this.#storage.put('state', DEVICE_KEY, this.#record);
      });
      this.#emit('account', this.account);
    }
    this.#emit('devices-changed', {});
    return kept;
  }

  // 60 digits (docs/protocol.md 8) for this account and the peer's, as this device knows them.
  async safetyNumber(peer) {
    this.#requireLinked();
    requireNumber(peer);
    const own = this.#record;
    const account = await this.#step(() => this.#directory.known(peer));
    return safetyNumber({ accountKey: own.accountKey, number: own.number }, { accountKey: account.accountKey, number: peer });
  }

  // Removes this device from the account on the relay, then forgets everything it kept. If the
  // relay cannot be reached, nothing changes.
  async logout() {
    this.#requireLinked();
    if (this.#record.deviceId === PRIMARY_DEVICE_ID) {
      throw invalid(ClientErrorCode.WRONG_STATE, 'the primary cannot log out; register the number on another phone instead');
    }
    this.#userLogout = true;
    try {
      await this.#auth.call('DELETE', `/v1/devices/${this.#record.deviceId}`);
    } catch (error) {
      const gone = error.code === ClientErrorCode.LOGGED_OUT ||
        (error instanceof RelayError && error.code === 'UNKNOWN_DEVICE');
      if (!gone) {
        this.#userLogout = false;
        throw error;
      }
    }
    await this.#loggedOut('logged-out');
  }

  // Stops the connections and timers (the device stays linked; openDevice opens it again).
  // Work under way is abandoned: a text not yet handed to the relay goes out on the next open.
  async close() {
    this.#closed = true;
    this.#link?.cancel();
    this.#delivery.stop();
    await this.#serial(() => {});
    if (this.#ownsStorage) this.#storage.close();
  }

  // --- internals ------------------------------------------------------------------------------------

  #requireLinked() {
    if (this.#state !== State.LINKED) throw invalid(ClientErrorCode.WRONG_STATE, `the companion is ${this.#state}`);
  }

  #requirePrimary() {
    this.#requireActive();
    if (this.#record.deviceId !== PRIMARY_DEVICE_ID) {
      throw invalid(ClientErrorCode.WRONG_STATE, 'only the primary links and removes devices');
    }
  }

  // Linked, and this tab holds the device's connection (another tab would step the same ratchets).
  #requireActive() {
    this.#requireLinked();
    if (this.#replaced) {
      throw invalid(ClientErrorCode.REPLACED, 'another tab uses this device; reload this one to use it here');
    }
  }

  // A step of the linked device: refused once the device is logged out (its keys are gone).
  #step(fn) {
    return this.#serial(() => {
      if (this.#record === null) throw invalid(ClientErrorCode.LOGGED_OUT, 'this device is not linked');
      return fn();
    });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.#emit('state', { state });
  }

  // Failures no caller waits on. Refusals and an unreachable relay are part of normal operation
  // (what they concern stays queued or is marked failed); anything else is a fault worth seeing.
  #report(error) {
    if (this.#closed || error instanceof ClientError || error instanceof ProtocolError) return;
    console.error(error);
  }

  async #onOnline() {
    this.#online = true;
    this.#emit('connection', { online: true });
    this.#sender.flush().catch((error) => this.#report(error));
    this.#preKeys.topUpIfLow(this.#auth).catch((error) => this.#report(error));
  }

  async #onOffline(replaced) {
    this.#online = false;
    this.#replaced = replaced;
    this.#emit('connection', { online: false, replaced });
  }

  async #onRelayEvent(event) {
    if (this.#record?.deviceId === PRIMARY_DEVICE_ID) this.#primaryLinking.onEvent(event);
    if (event.type === Delivery.Event.PREKEYS_LOW) {
      this.#preKeys.topUp(this.#auth).catch((error) => this.#report(error));
    } else if (event.type === Delivery.Event.DEVICES_CHANGED) {
      await this.#step(() => this.#directory.refresh(this.#record.number)).catch((error) => this.#report(error));
      this.#emit('devices-changed', {});
    }
  }

  // Logs this device out locally: the relay has removed it (or is asked to), so its keys, sessions
  // and chats are wiped. What remains is the reason, for the page to show.
  #loggedOut(reason) {
    if (this.#state === State.LOGGED_OUT) return Promise.resolve();
    this.#loggingOut ??= (async () => {
      const why = this.#userLogout ? 'logged-out' : reason;
      const primary = this.#record?.deviceId === PRIMARY_DEVICE_ID;
      this.#delivery.stop();
      this.#auth.invalidate();
      await this.#serial(async () => {
        this.#record = null;
        await this.#storage.clear();
        await this.#storage.put('state', DEVICE_KEY, { status: 'logged-out', reason: why, primary });
      });
      this.#online = false;
      this.#replaced = false;
      this.#userLogout = false;
      this.#loggedOutReason = why;
      this.#loggedOutPrimary = primary;
      this.#setState(State.LOGGED_OUT);
      this.#emit('logged-out', { reason: why });
    })().finally(() => {
      this.#loggingOut = null;
    });
    return this.#loggingOut;
  }
}
