// An in-process stand-in for the relay (docs/relay-api.md, docs/linking.md), for the client
// tests: the companion under test talks to it over its fetch and WebSocket (the same calls and
// frames as to the real relay), and test devices (test-device.js) use its methods directly.
// It keeps the rules the client depends on (device-set checks, tokens, queues with
// acknowledgements and receipts, online envelopes for connected devices only, provisioning and
// pairing) and nothing durable.

import {
  Delivery, ENVELOPE_DELIVERY_RECEIPT, encodeEnvelope, verifyDeviceCert, verifyDeviceList,
} from '../../../static/js/protocol/index.js';
import { concat, u64 } from '../../../static/js/protocol/bytes.js';
import { authMessage } from '../../../static/js/client/auth.js';
import { fromBase64, toBase64, toBase64Url } from '../../../static/js/client/encoding.js';

export const RELAY_ORIGIN = 'http://relay.test';

class HttpError extends Error {
  constructor(status, error, extra = {}) {
    super(error);
    this.status = status;
    this.body = { error, message: error, ...extra };
  }
}

function randomText(n = 16) {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(n)));
}

// Runs fn after everything already scheduled, in order.
function later(fn) {
  setTimeout(fn, 0);
}

// The WebSocket the companion gets: its frames go to the relay's handler for the URL's path.
function socketClass(relay) {
  return class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.binaryType = 'blob';
      this.sent = [];
      relay.sockets.add(this);
      later(() => relay.accept(this, new URL(url)));
    }

    send(data) {
      if (this.readyState !== 1) throw new Error('the socket is not open');
      this.sent.push(data);
      later(() => this.server?.onMessage?.(data));
    }

    close(code = 1000, reason = '') {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      later(() => this.closed(code, reason));
    }

    // --- the relay's side -----------------------------------------------------------------------

    open(server) {
      this.server = server;
      this.readyState = 1;
      this.onopen?.({});
    }

    deliver(data) {
      later(() => {
        if (this.readyState === 1) this.onmessage?.({ data });
      });
    }

    closed(code, reason) {
      if (this.readyState === 3) return;
      const wasOpen = this.server !== undefined;
      this.readyState = 3;
      relay.sockets.delete(this);
      if (wasOpen) this.server.onClose?.();
      this.onclose?.({ code, reason });
    }

    // Closed by the relay (after the frames already sent).
    serverClose(code, reason = '') {
      this.readyState = 2;
      later(() => this.closed(code, reason));
    }
  };
}

export class FakeRelay {
  accounts = new Map();
  tokens = new Map();
  challenges = new Set();
  provisioning = new Map(); // address -> socket
  pairings = new Map(); // pairingId -> { number, socket, hello, attemptsLeft }
  sockets = new Set();
  requests = []; // every HTTP request: { method, path, body }
  refuseSockets = 0; // the next this many WebSockets are refused (a relay that is down)
  #seq = 0;
  // Answers to give instead of the real one: [{ method, path (RegExp), status, body, times }]
  #overrides = [];

  constructor() {
    this.WebSocket = socketClass(this);
    this.fetch = (url, init) => this.#fetch(url, init);
  }

  // --- accounts, as test devices set them up --------------------------------------------------------

  async addPrimary({ number, identityKey, registrationId, signedPreKey, oneTimePreKeys, deviceList, listener }) {
    const list = await verifyDeviceList(deviceList);
    const now = Date.now();
    const account = {
      number, accountKey: list.accountKey, deviceList, listVersion: list.listVersion, listed: new Set([1]), devices: new Map(),
    };
    account.devices.set(1, {
      id: 1, identityKey, registrationId, signedPreKey, oneTimePreKeys: [...oneTimePreKeys], name: 'phone',
      platform: 'test', createdAt: now, lastSeenAt: now, queue: [], socket: null, listener,
    });
    this.accounts.set(number, account);
  }

  async setDeviceList(number, deviceList) {
    const account = this.accounts.get(number);
    const list = await verifyDeviceList(deviceList, account.accountKey, account.deviceList);
    account.deviceList = deviceList;
    account.listVersion = list.listVersion;
    account.listed = new Set(list.devices.map((d) => d.id));
    this.notifyAccount(number, { type: 'devices-changed' });
  }

  device(number, id) {
    return this.accounts.get(number)?.devices.get(id);
  }

  // Removes a device as the primary or the relay's lifecycle would: its socket closes with code.
  removeDevice(number, id, code = 4001, reason = 'removed') {
    const device = this.device(number, id);
    this.accounts.get(number).devices.delete(id);
    device.socket?.serverClose(code, reason);
    this.notifyAccount(number, { type: 'devices-changed' });
  }

  // Makes the next matching requests answer status/body instead.
  override(method, path, status, body, times = 1) {
    this.#overrides.push({ method, path, status, body, times });
  }

  notifyAccount(number, event) {
    for (const device of this.accounts.get(number)?.devices.values() ?? []) this.#event(device, event);
  }

  #event(device, event) {
    device.socket?.deliver(JSON.stringify(event));
    device.listener?.(event);
  }

  // --- queues -------------------------------------------------------------------------------------

  enqueue(number, deviceId, fields) {
    const device = this.device(number, deviceId);
    const bytes = encodeEnvelope({ serverTimestamp: Date.now(), destinationDevice: deviceId, ...fields });
    device.queue.push({ seq: ++this.#seq, bytes, fields, sent: false });
    this.#ring(device);
  }

  // An online envelope: written to the device's socket if it has one, queued for none. Returns
  // whether it went out.
  deliverOnline(number, deviceId, fields) {
    const device = this.device(number, deviceId);
    if (!device.socket) return false;
    const bytes = encodeEnvelope({ serverTimestamp: Date.now(), destinationDevice: deviceId, ...fields });
    device.socket.deliver(Delivery.encodeEnvelopeFrame(0, bytes).buffer);
    return true;
  }

  // A test device takes its queue without a socket.
  drain(number, deviceId) {
    const device = this.device(number, deviceId);
    const taken = device.queue.splice(0);
    taken.forEach((entry) => this.#acknowledged(number, device, entry));
    return taken.map((entry) => entry.bytes);
  }

  #ring(device) {
    if (!device.socket) return;
    for (const entry of device.queue) {
      if (entry.sent) continue;
      entry.sent = true;
      device.socket.deliver(concat(Uint8Array.of(1), u64(entry.seq), entry.bytes).buffer);
    }
  }

  #ack(number, device, seq) {
    const index = device.queue.findIndex((e) => e.seq === seq);
    if (index < 0) return;
    const [entry] = device.queue.splice(index, 1);
    this.#acknowledged(number, device, entry);
  }

  // A message from another account was received: its sending device gets a receipt.
  #acknowledged(number, device, { fields }) {
    if (fields.kind === ENVELOPE_DELIVERY_RECEIPT || fields.source === number) return;
    if (!this.device(fields.source, fields.sourceDevice)) return;
    this.enqueue(fields.source, fields.sourceDevice, {
      kind: ENVELOPE_DELIVERY_RECEIPT, messageId: fields.messageId, timestamp: fields.timestamp, source: number,
      sourceDevice: device.id, content: new Uint8Array(0),
    });
  }

  // --- WebSockets ---------------------------------------------------------------------------------

  accept(socket, url) {
    if (this.refuseSockets > 0) {
      this.refuseSockets--;
      socket.closed(1006, '');
      return;
    }
    if (url.pathname === '/v1/websocket') return this.#acceptDelivery(socket, url.searchParams.get('token'));
    if (url.pathname === '/v1/provisioning/websocket') return this.#acceptProvisioning(socket);
    socket.closed(1006, '');
  }

  #acceptDelivery(socket, token) {
    const holder = this.tokens.get(token);
    const device = holder && this.device(holder.number, holder.deviceId);
    if (!device) {
      socket.closed(1006, ''); // the upgrade is refused: the browser sees only a close
      return;
    }
    const previous = device.socket;
    device.socket = socket;
    previous?.serverClose(4000, 'replaced');
    device.queue.forEach((entry) => {
      entry.sent = false;
    });
    socket.open({
      onMessage: (data) => {
        const frame = JSON.parse(data);
        if (frame.type === 'ack') this.#ack(holder.number, device, frame.seq);
      },
      onClose: () => {
        if (device.socket === socket) device.socket = null;
      },
    });
    this.#ring(device);
    socket.deliver(JSON.stringify({ type: 'queue-empty' }));
  }

  #acceptProvisioning(socket) {
    let address = null;
    const newAddress = () => {
      if (address) this.provisioning.delete(address);
      address = randomText();
      this.provisioning.set(address, socket);
      socket.deliver(JSON.stringify({ type: 'address', address, expiresInSeconds: 30 }));
    };
    let pairingId = null;
    socket.open({
      onMessage: (data) => {
        const frame = JSON.parse(data);
        if (frame.type === 'rotate') newAddress();
        else if (frame.type === 'pair') pairingId = this.#pair(socket, frame);
        else if (frame.type === 'wrong-code') this.#wrongCode(pairingId);
        else if (frame.type === 'confirm') this.#forwardConfirm(pairingId, frame.confirm);
      },
      // As the relay does: the socket's address and its pairing request end with it.
      onClose: () => {
        this.provisioning.delete(address);
        if (pairingId) this.pairings.delete(pairingId);
      },
    });
    newAddress();
  }

  #pair(socket, { number, hello }) {
    const account = this.accounts.get(number);
    if (!account) {
      socket.deliver(JSON.stringify({ type: 'error', error: 'UNKNOWN_ACCOUNT', message: 'no account has this number' }));
      return null;
    }
    const pairingId = randomText();
    this.pairings.set(pairingId, { number, socket, hello, attemptsLeft: 3 });
    socket.deliver(JSON.stringify({ type: 'pairing', pairingId, expiresInSeconds: 180 }));
    this.#event(account.devices.get(1), { type: 'pairing-request', pairingId, hello, expiresInSeconds: 180 });
    return pairingId;
  }

  #wrongCode(pairingId) {
    const pairing = this.pairings.get(pairingId);
    pairing.attemptsLeft--;
    this.#event(this.device(pairing.number, 1), { type: 'pairing-wrong-code', pairingId, attemptsLeft: pairing.attemptsLeft });
    if (pairing.attemptsLeft === 0) {
      this.pairings.delete(pairingId);
      pairing.socket.deliver(JSON.stringify({ type: 'pairing-ended', reason: 'TOO_MANY_WRONG_CODES' }));
    }
  }

  #forwardConfirm(pairingId, confirm) {
    const pairing = this.pairings.get(pairingId);
    this.pairings.delete(pairingId);
    this.#event(this.device(pairing.number, 1), { type: 'pairing-confirm', pairingId, confirm });
  }

  // What a primary sends by HTTP (PUT /v1/provisioning/{address}, POST /v1/pairing/{id}/reply).
  provision(address, message) {
    const socket = this.provisioning.get(address);
    if (!socket) return false;
    socket.deliver(JSON.stringify({ type: 'provision', message: toBase64(message) }));
    return true;
  }

  // A restarting relay: every provisioning socket closes with 1001, and the next `refuse` sockets
  // are refused while it is down.
  restartProvisioning(refuse = 1) {
    this.refuseSockets = refuse;
    for (const socket of new Set(this.provisioning.values())) socket.serverClose(1001, 'going-away');
  }

  replyToPairing(pairingId, reply) {
    if (!this.pairings.has(pairingId)) return false;
    this.pairings.get(pairingId).socket.deliver(JSON.stringify({ type: 'reply', reply: toBase64(reply) }));
    return true;
  }

  // --- HTTP ---------------------------------------------------------------------------------------

  async #fetch(url, init = {}) {
    const { pathname } = new URL(url);
    const method = init.method ?? 'GET';
    const body = init.body === undefined ? undefined : JSON.parse(init.body);
    this.requests.push({ method, path: pathname, body });
    await new Promise((resolve) => later(resolve));
    let status = 200;
    let answer;
    const override = this.#overrides.find((o) => o.method === method && o.path.test(pathname));
    if (override) {
      if (--override.times === 0) this.#overrides.splice(this.#overrides.indexOf(override), 1);
      if (override.status === 'network') throw new TypeError('Failed to fetch');
      return Response.json(override.body, { status: override.status });
    }
    try {
      answer = await this.#route(method, decodeURIComponent(pathname), body, init.headers?.authorization);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      status = error.status;
      answer = error.body;
    }
    return Response.json(answer, { status });
  }

  #authenticate(authorization) {
    const holder = this.tokens.get(authorization?.replace(/^Bearer /, ''));
    if (!holder) throw new HttpError(401, 'UNAUTHORIZED');
    if (!this.device(holder.number, holder.deviceId)) throw new HttpError(401, 'DEVICE_GONE');
    return holder;
  }

  async #route(method, path, body, authorization) {
    let m;
    if (method === 'GET' && path === '/v1/auth/challenge') {
      const challenge = toBase64(crypto.getRandomValues(new Uint8Array(32)));
      this.challenges.add(challenge);
      return { challenge, expiresInSeconds: 60 };
    }
    if (method === 'POST' && path === '/v1/auth/token') return this.#token(body);
    if (method === 'POST' && path === '/v1/devices/link') return this.#link(body);
    const caller = this.#authenticate(authorization);
    if (method === 'GET' && (m = path.match(/^\/v1\/accounts\/(\+\d+)$/))) return this.#account(caller, m[1]);
    if (method === 'GET' && path === '/v1/keys/count') {
      return { oneTimePreKeys: this.device(caller.number, caller.deviceId).oneTimePreKeys.length };
    }
    if (method === 'PUT' && path === '/v1/keys') {
      const device = this.device(caller.number, caller.deviceId);
      device.oneTimePreKeys.push(...body.oneTimePreKeys.map((k) => fromBase64(k)));
      return { oneTimePreKeys: device.oneTimePreKeys.length };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/keys\/(\+\d+)\/(\d+)$/))) return this.#bundle(caller, m[1], Number(m[2]));
    if (method === 'DELETE' && (m = path.match(/^\/v1\/devices\/(\d+)$/))) {
      const id = Number(m[1]);
      if (!this.device(caller.number, id)) throw new HttpError(404, 'UNKNOWN_DEVICE');
      this.removeDevice(caller.number, id, 4001, 'logged-out');
      return {};
    }
    if (method === 'POST' && path === '/v1/messages') return this.#send(caller, body);
    throw new HttpError(404, 'NOT_FOUND');
  }

  async #token({ number, deviceId, challenge, signature }) {
    if (!this.challenges.delete(challenge)) throw new HttpError(401, 'BAD_CHALLENGE');
    const device = this.device(number, deviceId);
    if (!device) throw new HttpError(401, 'UNKNOWN_DEVICE');
    const key = await crypto.subtle.importKey('raw', device.identityKey.slice(0, 32), { name: 'Ed25519' }, false, ['verify']);
    const valid = await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64(signature),
      authMessage(fromBase64(challenge), number, deviceId));
    if (!valid) throw new HttpError(401, 'BAD_SIGNATURE');
    const token = randomText(24);
    this.tokens.set(token, { number, deviceId });
    return { token, expiresInSeconds: 900 };
  }

  async #link({ number, cert, registrationId, signedPreKey, oneTimePreKeys, name, platform }) {
    const account = this.accounts.get(number);
    if (!account) throw new HttpError(404, 'UNKNOWN_ACCOUNT');
    const certBytes = fromBase64(cert);
    let parsed;
    try {
      parsed = await verifyDeviceCert(certBytes, account.accountKey);
    } catch {
      throw new HttpError(400, 'INVALID_CERT');
    }
    if (account.devices.has(parsed.deviceId)) throw new HttpError(409, 'DEVICE_ID_TAKEN');
    if (account.devices.size >= 5) throw new HttpError(403, 'TOO_MANY_DEVICES');
    const now = Date.now();
    account.devices.set(parsed.deviceId, {
      id: parsed.deviceId, identityKey: parsed.identity, registrationId, signedPreKey: fromBase64(signedPreKey),
      oneTimePreKeys: oneTimePreKeys.map((k) => fromBase64(k)), name, platform, createdAt: now, lastSeenAt: now,
      queue: [], socket: null, cert: certBytes,
    });
    this.notifyAccount(number, { type: 'device-linked', deviceId: parsed.deviceId, cert });
    this.notifyAccount(number, { type: 'devices-changed' });
    return { deviceId: parsed.deviceId };
  }

  #listedDevices(account) {
    return [...account.devices.values()].filter((d) => account.listed.has(d.id)).sort((a, b) => a.id - b.id);
  }

  #account(caller, number) {
    const account = this.accounts.get(number);
    if (!account) throw new HttpError(404, 'UNKNOWN_ACCOUNT');
    const own = caller.number === number;
    return {
      number,
      accountKey: toBase64(account.accountKey),
      deviceList: toBase64(account.deviceList),
      deviceListVersion: account.listVersion,
      devices: this.#listedDevices(account).map((d) => ({
        deviceId: d.id,
        registrationId: d.registrationId,
        identityKey: toBase64(d.identityKey),
        ...(own ? { name: d.name, platform: d.platform, createdAt: d.createdAt, lastSeenAt: d.lastSeenAt } : {}),
      })),
    };
  }

  #bundle(caller, number, deviceId) {
    const account = this.accounts.get(number);
    if (!account) throw new HttpError(404, 'UNKNOWN_ACCOUNT');
    const device = this.#listedDevices(account).find((d) => d.id === deviceId);
    if (!device) throw new HttpError(404, 'UNKNOWN_DEVICE');
    const oneTime = device.oneTimePreKeys.shift();
    const bundle = oneTime
      ? concat(device.identityKey, device.signedPreKey, Uint8Array.of(1), oneTime)
      : concat(device.identityKey, device.signedPreKey, Uint8Array.of(0));
    if (device.oneTimePreKeys.length < 10) this.#event(device, { type: 'prekeys-low', count: device.oneTimePreKeys.length });
    return {
      accountKey: toBase64(account.accountKey),
      deviceList: toBase64(account.deviceList),
      deviceListVersion: account.listVersion,
      devices: [{ deviceId, registrationId: device.registrationId, bundle: toBase64(bundle) }],
    };
  }

  #send(caller, { messageId, timestamp, recipients, online = false }) {
    const groups = new Map(recipients.map((r) => [r.number, r.messages]));
    if (!groups.has(caller.number)) groups.set(caller.number, []);
    const mismatches = [];
    for (const [number, messages] of groups) {
      const account = this.accounts.get(number);
      if (!account) throw new HttpError(404, 'UNKNOWN_ACCOUNT');
      const required = new Map(this.#listedDevices(account)
        .filter((d) => !(number === caller.number && d.id === caller.deviceId)).map((d) => [d.id, d]));
      const named = new Set(messages.map((m) => m.deviceId));
      const missing = [...required.keys()].filter((id) => !named.has(id));
      const extra = messages.filter((m) => !required.has(m.deviceId)).map((m) => m.deviceId);
      const stale = messages.filter((m) => required.get(m.deviceId) && required.get(m.deviceId).registrationId !== m.registrationId)
        .map((m) => m.deviceId);
      if (missing.length || extra.length || stale.length) mismatches.push({ number, missing, extra, stale });
    }
    if (mismatches.length) {
      throw new HttpError(409, 'DEVICE_MISMATCH', { message: 'the devices named differ', mismatches });
    }
    const connected = [];
    for (const [number, messages] of groups) {
      for (const m of messages) {
        const fields = {
          kind: m.kind, messageId: fromBase64(messageId), timestamp, source: caller.number,
          sourceDevice: caller.deviceId, content: fromBase64(m.content),
        };
        if (!online) this.enqueue(number, m.deviceId, fields);
        else if (this.deliverOnline(number, m.deviceId, fields)) connected.push({ number, deviceId: m.deviceId });
      }
    }
    return online ? { serverTimestamp: Date.now(), connected } : { serverTimestamp: Date.now() };
  }
}
