// A stand-in for the client core's Device (static/js/client/), for testing the page without a
// relay. It keeps to the core's contract: the same methods, events and state changes (starting a
// link makes it 'linking', and it refuses a second start meanwhile; a cancel makes it 'unlinked';
// asking for a registration code makes it 'registering'). Tests drive it with the helpers at the
// bottom, make a call fail with refuse(method, error), and read what the page asked of it in `calls`.

const DAY = 24 * 3600 * 1000;

export class FakeDevice extends EventTarget {
  calls = [];
  state;
  account;
  online;
  loggedOutReason;
  loggedOutPrimary = false;
  registeringNumber = null;
  #messages;
  #devices;
  #refusals = new Map();
  #pairing = [];
  #links = []; // the link calls under way: { resolve, reject }
  #muted = new Map(); // peer -> muted until

  constructor({
    state = 'unlinked', account = null, messages = [], devices = [], online = true, loggedOutReason = null,
  } = {}) {
    super();
    Object.assign(this, { state, account, online, loggedOutReason });
    this.#messages = messages.map((m) => ({ read: true, ...m }));
    this.#devices = devices;
  }

  #call(name, ...args) {
    this.calls.push([name, ...args]);
  }

  called(name) {
    return this.calls.filter(([n]) => n === name).map(([, ...args]) => args);
  }

  // The next call of `method` fails with `error` (an object with a code, as the core's errors).
  refuse(method, error) {
    this.#refusals.set(method, Object.assign(new Error(error.message ?? error.code), error));
  }

  #refused(method) {
    const error = this.#refusals.get(method);
    this.#refusals.delete(method);
    if (error) throw error;
  }

  // --- the core's API ---

  async startQrLink({ name }) {
    this.#call('startQrLink', { name });
    this.#beginLink();
  }

  async startCodeLink({ number, name }) {
    this.#call('startCodeLink', { number, name });
    this.#beginLink();
  }

  #beginLink() {
    if (this.state === 'linked' || this.state === 'linking') {
      throw Object.assign(new Error(`cannot link a companion that is ${this.state}`), { code: 'WRONG_STATE' });
    }
    this.setState('linking');
  }

  async requestRegistrationCode(number) {
    this.#call('requestRegistrationCode', number);
    this.#refused('requestRegistrationCode');
    this.registeringNumber = number;
    this.setState('registering');
    return { number, expiresInSeconds: 600, sentBy: 'log' };
  }

  async register({ code, name }) {
    this.#call('register', { code, name });
    this.#refused('register');
    const account = { number: this.registeringNumber, deviceId: 1, name, primary: true };
    this.registeringNumber = null;
    this.linked(account);
    return account;
  }

  cancelRegistration() {
    this.#call('cancelRegistration');
    this.registeringNumber = null;
    if (this.state === 'registering') this.setState('unlinked');
  }

  // Resolve with linkDone(result) or fail with linkRefused(error): linking waits for the companion.
  linkDevice(uri) {
    this.#call('linkDevice', uri);
    return this.#linkCall('linkDevice');
  }

  linkDeviceByCode(code) {
    this.#call('linkDeviceByCode', code);
    return this.#linkCall('linkDeviceByCode');
  }

  #linkCall(method) {
    try {
      this.#refused(method);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => this.#links.push({ resolve, reject }));
  }

  async pairingRequests() {
    return this.#pairing.map((r) => ({ ...r }));
  }

  async renameDevice(name) {
    this.#call('renameDevice', name);
    this.#refused('renameDevice');
    this.account = { ...this.account, name: name.trim() };
    this.emit('account', this.account);
    return this.account.name;
  }

  async removeDevice(deviceId) {
    this.#call('removeDevice', deviceId);
    this.#refused('removeDevice');
    this.setDevices(this.#devices.filter((d) => d.deviceId !== deviceId));
    return 2;
  }

  cancelLink() {
    this.#call('cancelLink');
    if (this.state === 'linking') queueMicrotask(() => this.setState('unlinked'));
  }

  async conversations() {
    const peers = new Map();
    for (const m of this.#messages) {
      const c = peers.get(m.peer) ?? { peer: m.peer, lastMessage: null, unread: 0 };
      if (!c.lastMessage || m.timestamp >= c.lastMessage.timestamp) {
        c.lastMessage = { body: m.body, timestamp: m.timestamp, outgoing: m.outgoing, unsupported: m.unsupported };
      }
      if (!m.outgoing && !m.read) c.unread++;
      peers.set(m.peer, c);
    }
    for (const [peer, mutedUntil] of this.#muted) {
      if (peers.has(peer)) peers.get(peer).mutedUntil = mutedUntil;
    }
    return [...peers.values()];
  }

  async muteChat(peer, mutedUntil) {
    this.#call('muteChat', peer, mutedUntil);
    this.#refused('muteChat');
    if (mutedUntil > 0) this.#muted.set(peer, mutedUntil);
    else this.#muted.delete(peer);
    this.emit('conversation-muted', { peer, mutedUntil });
  }

  async allMessages() {
    return this.#messages.map(({ read, ...m }) => ({ ...m }));
  }

  async messages(peer) {
    return this.#messages.filter((m) => m.peer === peer).map(({ read, ...m }) => ({ ...m }));
  }

  async markRead(peer) {
    this.#call('markRead', peer);
    for (const m of this.#messages) if (m.peer === peer) m.read = true;
  }

  async send(peer, text, options = {}) {
    this.#call('send', peer, text, options);
    const quoted = options.replyTo ? this.#messages.find((m) => m.id === options.replyTo) : null;
    const message = {
      ...(quoted ? { quote: { id: quoted.id, author: quoted.from, body: quoted.body } } : {}),
      id: `out-${this.#messages.length + 1}`, peer, from: this.account.number, fromDevice: this.account.deviceId,
      outgoing: true, body: text, timestamp: Date.now(), status: 'sending', read: true,
    };
    this.#messages.push(message);
    this.emit('message', message);
    return message;
  }

  // --- names, settings and what is done to messages ---

  profileNames = {};
  settingsState = { readReceipts: true };
  ownName = null;
  accounts = null; // numbers that have an account (null: every number)

  async names() {
    return { ...this.profileNames };
  }

  async profileName() {
    return this.ownName;
  }

  async setProfileName(name) {
    this.#call('setProfileName', name);
    this.#refused('setProfileName');
    this.ownName = name.trim();
  }

  async settings() {
    return { ...this.settingsState };
  }

  async setReadReceipts(on) {
    this.#call('setReadReceipts', on);
    this.settingsState = { readReceipts: on };
    this.emit('settings', this.settingsState);
  }

  async hasAccount(number) {
    this.#call('hasAccount', number);
    return this.accounts === null || this.accounts.includes(number);
  }

  async setTyping(peer, typing) {
    this.#call('setTyping', peer, typing);
  }

  #change(id, change) {
    const message = this.#messages.find((m) => m.id === id);
    Object.assign(message, change(message));
    this.emit('message-changed', { ...message });
  }

  // Files: a sent one is shown at once and kept; a received one downloads when asked (the bytes given
  // to receiveFile), or fails as refuse('downloadAttachment', ...) says.
  #files = new Map();

  async sendFile(peer, file, options = {}) {
    this.#call('sendFile', peer, file, options);
    this.#refused('sendFile');
    const message = {
      id: `out-${this.#messages.length + 1}`, peer, from: this.account.number, fromDevice: this.account.deviceId,
      outgoing: true, body: options.caption ?? '', timestamp: Date.now(), status: 'sending', read: true,
      attachment: { contentType: file.type || 'application/octet-stream', size: file.size, fileName: options.fileName ?? file.name },
    };
    this.#files.set(message.id, file);
    this.#messages.push(message);
    this.emit('message', message);
    return message;
  }

  async downloadAttachment(id) {
    this.#call('downloadAttachment', id);
    this.#refused('downloadAttachment');
    const file = this.#files.get(id);
    if (!file) throw Object.assign(new Error('no file'), { code: 'UNKNOWN_MESSAGE' });
    return file;
  }

  // A message with a file from peer; its bytes come when the page downloads it.
  receiveFile(peer, bytes, attachment, caption = '') {
    const id = `in-${this.#messages.length + 1}`;
    this.#files.set(id, new Blob([bytes], { type: attachment.contentType }));
    const message = {
      id, peer, from: peer, fromDevice: 1, outgoing: false, body: caption, timestamp: Date.now(), status: 'delivered',
      read: false, attachment: { blob: 'AAAAAAAAAAAAAAAAAAAAAA', size: bytes.length, ...attachment },
    };
    this.#messages.push(message);
    this.emit('message', message);
    return message;
  }

  async react(peer, id, emoji) {
    this.#call('react', peer, id, emoji);
    this.#change(id, (m) => {
      const reactions = { ...(m.reactions ?? {}) };
      if (emoji === '') delete reactions[this.account.number];
      else reactions[this.account.number] = { emoji, ts: Date.now() };
      return { reactions };
    });
  }

  async editMessage(peer, id, text) {
    this.#call('editMessage', peer, id, text);
    this.#refused('editMessage');
    this.#change(id, () => ({ body: text, edited: true }));
  }

  async deleteMessage(peer, id, { forEveryone = false } = {}) {
    this.#call('deleteMessage', peer, id, { forEveryone });
    if (forEveryone) {
      this.#change(id, () => ({ body: '', deleted: true }));
    } else {
      this.#messages = this.#messages.filter((m) => m.id !== id);
      this.emit('message-removed', { id, peer });
    }
  }

  async retry(id) {
    this.#call('retry', id);
    this.#change(id, () => ({ status: 'sending', error: undefined }));
  }

  // A message from the peer changed (their reaction, edit, deletion) or was read.
  changeMessage(id, change) {
    this.#change(id, () => change);
  }

  async devices() {
    return this.#devices.map((d) => ({ ...d }));
  }

  async safetyNumber(peer) {
    this.#call('safetyNumber', peer);
    return '123451234512345123451234512345123451234512345123451234512345';
  }

  async logout() {
    this.#call('logout');
    this.loggedOut('logged-out');
  }

  // --- what the relay or the primary would make happen ---

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  setState(state) {
    this.state = state;
    this.emit('state', { state });
  }

  linked(account) {
    this.account = account;
    this.setState('linked');
    this.emit('linked', account);
  }

  linkFailed(reason) {
    this.setState('unlinked');
    this.emit('link-failed', { reason });
  }

  // extra: e.g. { unsupported: 'poll' } for a content of a later client.
  receive(peer, body, timestamp = Date.now(), extra = {}) {
    const message = {
      id: `in-${this.#messages.length + 1}`, peer, from: peer, fromDevice: 1, outgoing: false, body, timestamp,
      status: 'delivered', read: false, ...extra,
    };
    this.#messages.push(message);
    this.emit('message', message);
  }

  setStatus(id, status) {
    this.#messages.find((m) => m.id === id).status = status;
    this.emit('message-status', { id, status });
  }

  // The companion finished its side: the link call under way resolves (after the history's progress).
  linkDone({ deviceId, name, parts = 1 }) {
    for (let part = 1; part <= parts; part++) this.emit('history-sending', { deviceId, part, parts });
    this.emit('device-linked', { deviceId, name });
    this.#links.shift().resolve({ deviceId, name, texts: 0, parts });
  }

  linkRefused(error) {
    this.#links.shift().reject(Object.assign(new Error(error.message ?? error.code), error));
  }

  pairingRequest(pairingId) {
    const request = { pairingId, expiresAt: Date.now() + 180_000 };
    this.#pairing.push(request);
    this.emit('pairing-request', request);
  }

  setDevices(devices) {
    this.#devices = devices;
    this.emit('devices-changed', {});
  }

  loggedOut(reason) {
    this.loggedOutPrimary = Boolean(this.account?.primary);
    this.account = null;
    this.loggedOutReason = reason;
    this.online = false;
    this.setState('logged-out');
    this.emit('logged-out', { reason });
  }
}

export const ALICE = { number: '+8801711000001', deviceId: 2, name: 'Chrome on Linux', primary: false };
export const BOB = '+8801811000002';
export const CAROL = '+8801911000003';

// Alice's linked browser with two chats: Bob's (read, newest) and Carol's (two unread, older).
export function linkedAlice(now = Date.now()) {
  return new FakeDevice({
    state: 'linked',
    account: ALICE,
    messages: [
      { id: 'c1', peer: CAROL, from: CAROL, fromDevice: 1, outgoing: false, body: 'Are you coming?', timestamp: now - 2 * DAY, status: 'delivered', read: false },
      { id: 'c2', peer: CAROL, from: CAROL, fromDevice: 1, outgoing: false, body: 'Call me', timestamp: now - 2 * DAY + 60_000, status: 'delivered', read: false },
      { id: 'b1', peer: BOB, from: BOB, fromDevice: 1, outgoing: false, body: 'hello Alice', timestamp: now - 120_000, status: 'delivered' },
      { id: 'b2', peer: BOB, from: ALICE.number, fromDevice: 1, outgoing: true, body: 'hi Bob', timestamp: now - 60_000, status: 'delivered' },
      { id: 'b3', peer: BOB, from: ALICE.number, fromDevice: 2, outgoing: true, body: 'see you\nat six', timestamp: now - 30_000, status: 'sent' },
    ],
    devices: [
      { deviceId: 1, name: 'Pixel 8', platform: 'android', createdAt: now - 90 * DAY, lastSeenAt: now - 60_000, self: false },
      { deviceId: 2, name: 'Chrome on Linux', platform: 'web', createdAt: now - DAY, lastSeenAt: now, self: true },
    ],
  });
}

// Alice's phone (this browser registered her number) with one linked laptop.
export function alicesPhone(now = Date.now()) {
  return new FakeDevice({
    state: 'linked',
    account: { number: ALICE.number, deviceId: 1, name: 'Chrome on Android', primary: true },
    devices: [
      { deviceId: 1, name: 'Chrome on Android', platform: 'web', createdAt: now - 90 * DAY, lastSeenAt: now, self: true },
      { deviceId: 2, name: 'Work laptop', platform: 'cli', createdAt: now - DAY, lastSeenAt: now - 60_000, self: false },
    ],
  });
}
