// Devices of the tests' accounts (a primary, a peer's phone), written with the protocol module
// directly: they stand for the Java/CLI devices the companion talks to. They reach the fake
// relay's state without HTTP, trust what it says, and speak the same content JSON.

import {
  ENVELOPE_DELIVERY_RECEIPT, ENVELOPE_PREKEY_MESSAGE, ENVELOPE_RATCHET_MESSAGE, MemoryPreKeyStore, acceptSession,
  answerCodeHello, counterSignDeviceCert, createIdentity, createOneTimePreKey, createSignedPreKey, decodeEnvelope,
  initiateSession, issueDeviceCert, sealProvisioning, secureSource, signDeviceList, toHex, verifyDeviceCert,
} from '../../../static/js/protocol/index.js';
import { concat, readU32 } from '../../../static/js/protocol/bytes.js';
import { fromBase64, toBase64 } from '../../../static/js/client/encoding.js';

const utf8 = (text) => new TextEncoder().encode(text);

function fromBase64Url(text) {
  return fromBase64(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
}

// Resolves once check() returns something truthy (checked every few ms), or rejects after ms.
export async function waitFor(check, what = 'a condition', ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// Collects a target's events of the given types. of(type) -> the details so far, in order;
// nth(type, n) -> resolves to the n-th (from 1) once it came.
export function recordEvents(target, types) {
  const seen = [];
  for (const type of types) target.addEventListener(type, (event) => seen.push({ type, detail: event.detail }));
  const of = (type) => seen.filter((e) => e.type === type).map((e) => e.detail);
  return {
    of,
    nth: (type, n = 1) => waitFor(() => (of(type).length >= n ? { detail: of(type)[n - 1] } : null),
      `'${type}' event number ${n}`).then((found) => found.detail),
  };
}

export class TestDevice {
  events = [];
  sessions = new Map(); // `${number}/${deviceId}` -> Session
  received = []; // { id, from, fromDevice, content }

  constructor(relay, number, deviceId) {
    this.relay = relay;
    this.number = number;
    this.deviceId = deviceId;
    this.source = secureSource();
    this.preKeys = new MemoryPreKeyStore();
  }

  // Registers the number with this device as its primary (as the real relay's registration would).
  static async primary(relay, number) {
    const device = new TestDevice(relay, number, 1);
    device.identity = await createIdentity(device.source);
    const signed = await createSignedPreKey(device.source, device.identity, 1);
    device.preKeys.addSignedPreKey(signed);
    const oneTime = [];
    for (let id = 1; id <= 20; id++) {
      const preKey = await createOneTimePreKey(device.source, id);
      device.preKeys.addOneTimePreKey(preKey);
      oneTime.push(preKey.record);
    }
    const issued = await issueDeviceCert(device.identity, 1, device.identity.publicKey, Date.now());
    device.certs = [await counterSignDeviceCert(device.identity, issued)];
    device.listVersion = 1;
    await relay.addPrimary({
      number,
      identityKey: device.identity.publicKey,
      registrationId: 4242,
      signedPreKey: signed.record,
      oneTimePreKeys: oneTime,
      deviceList: await device.#signList(),
      listener: (event) => device.events.push(event),
    });
    return device;
  }

  // Another device of this primary's account, linked and signed into the list directly (as the
  // Java/CLI linking would end); with signIn false, a device the relay adds and claims is listed,
  // which the signed list does not hold.
  async addDevice({ signIn = true } = {}) {
    const deviceId = this.#nextDeviceId();
    const device = new TestDevice(this.relay, this.number, deviceId);
    device.identity = await createIdentity(device.source);
    const signed = await createSignedPreKey(device.source, device.identity, 1);
    device.preKeys.addSignedPreKey(signed);
    const oneTime = await createOneTimePreKey(device.source, 1);
    device.preKeys.addOneTimePreKey(oneTime);
    const issued = await issueDeviceCert(this.identity, deviceId, device.identity.publicKey, Date.now());
    const cert = await counterSignDeviceCert(device.identity, issued);
    const now = Date.now();
    this.relay.accounts.get(this.number).devices.set(deviceId, {
      id: deviceId, identityKey: device.identity.publicKey, registrationId: 5000 + deviceId, signedPreKey: signed.record,
      oneTimePreKeys: [oneTime.record], name: `device ${deviceId}`, platform: 'test', createdAt: now, lastSeenAt: now,
      queue: [], socket: null, listener: (event) => device.events.push(event),
    });
    if (signIn) {
      await this.addToList(cert);
    } else {
      this.#lastDeviceId = deviceId;
      this.relay.accounts.get(this.number).listed.add(deviceId);
    }
    return device;
  }

  #signList() {
    return signDeviceList(this.identity, { listVersion: this.listVersion, timestamp: Date.now(), certs: this.certs });
  }

  async addToList(cert) {
    const { deviceId } = await verifyDeviceCert(cert, this.identity.sign.publicKey);
    this.#lastDeviceId = Math.max(this.#lastDeviceId, deviceId);
    this.certs = [...this.certs, cert].sort((a, b) => readU32(a, 33) - readU32(b, 33));
    this.listVersion++;
    await this.relay.setDeviceList(this.number, await this.#signList());
  }

  // Device ids are never re-used within an account, even after a device was removed.
  #lastDeviceId = 1;

  #nextDeviceId() {
    return Math.max(this.#lastDeviceId, ...this.relay.accounts.get(this.number).devices.keys()) + 1;
  }

  #payload(deviceId, cert) {
    return utf8(JSON.stringify({
      v: 1, number: this.number, accountKey: toBase64(this.identity.sign.publicKey), deviceId, cert: toBase64(cert),
    }));
  }

  #nextEvent(type, from = this.events.length) {
    return waitFor(() => this.events.slice(from).find((e) => e.type === type), `a '${type}' event at the primary`);
  }

  // The primary's side of QR linking: scans the URI, sends the provisioning message, and signs the
  // companion into the list once it linked itself. Returns the companion's device id.
  async linkByQr(uri, { signIn = true } = {}) {
    const params = new URL(uri.replace(/^quintet:/, 'http:')).searchParams;
    const deviceId = this.#nextDeviceId();
    const from = this.events.length;
    const cert = await issueDeviceCert(this.identity, deviceId, fromBase64Url(params.get('i')), Date.now());
    const message = await sealProvisioning(this.source, fromBase64Url(params.get('k')), this.#payload(deviceId, cert));
    if (!this.relay.provision(params.get('a'), message)) throw new Error('no companion waits at the address');
    const linked = await this.#nextEvent('device-linked', from);
    if (signIn) await this.addToList(fromBase64(linked.cert));
    return deviceId;
  }

  // The primary's side of code linking, for one typed code, answering the latest pairing request.
  // Resolves to 'linked' (after signing the companion in) or 'wrong-code'.
  async typeCode(code) {
    await this.#nextEvent('pairing-request', 0);
    const request = this.events.findLast((e) => e.type === 'pairing-request');
    const from = this.events.length;
    const deviceId = this.#nextDeviceId();
    const hello = fromBase64(request.hello);
    const cert = await issueDeviceCert(this.identity, deviceId, hello.slice(66, 130), Date.now());
    const link = await answerCodeHello(this.source, code, hello, this.#payload(deviceId, cert));
    this.relay.replyToPairing(request.pairingId, link.reply);
    const outcome = await waitFor(() => this.events.slice(from)
      .find((e) => e.type === 'pairing-confirm' || e.type === 'pairing-wrong-code'), 'the companion to answer');
    if (outcome.type === 'pairing-wrong-code') return 'wrong-code';
    const confirmation = JSON.parse(new TextDecoder().decode(await link.openConfirm(fromBase64(outcome.confirm))));
    await this.addToList(fromBase64(confirmation.cert));
    return 'linked';
  }

  // --- messaging ----------------------------------------------------------------------------------

  async #session(number, deviceId) {
    const key = `${number}/${deviceId}`;
    if (!this.sessions.has(key)) {
      const device = this.relay.device(number, deviceId);
      const oneTime = device.oneTimePreKeys.shift();
      const bundle = oneTime
        ? concat(device.identityKey, device.signedPreKey, Uint8Array.of(1), oneTime)
        : concat(device.identityKey, device.signedPreKey, Uint8Array.of(0));
      this.sessions.set(key, await initiateSession(this.source, this.identity, bundle));
    }
    return this.sessions.get(key);
  }

  // Sends content (an object, JSON-encoded) to every listed device of `to` and every other listed
  // device of this account; ownContent (default: content with peer) goes to the own devices.
  // online: only to the devices connected now, queued for none. Returns the message id (hex).
  async send(to, content, { ownContent = { ...content, peer: to }, online = false } = {}) {
    const id = crypto.getRandomValues(new Uint8Array(16));
    for (const number of new Set([to, this.number])) {
      const account = this.relay.accounts.get(number);
      for (const deviceId of account.listed) {
        if (number === this.number && deviceId === this.deviceId) continue;
        if (!account.devices.has(deviceId)) continue;
        const session = await this.#session(number, deviceId);
        const wire = await session.encrypt(utf8(JSON.stringify(number === this.number ? ownContent : content)));
        const fields = {
          kind: session.pending ? ENVELOPE_PREKEY_MESSAGE : ENVELOPE_RATCHET_MESSAGE, messageId: id,
          timestamp: content.ts ?? Date.now(), source: this.number, sourceDevice: this.deviceId, content: wire,
        };
        if (online) this.relay.deliverOnline(number, deviceId, fields);
        else this.relay.enqueue(number, deviceId, fields);
      }
    }
    return toHex(id);
  }

  sendText(to, body, ts = Date.now(), options = {}) {
    return this.send(to, { v: 1, type: 'text', body, ts }, options);
  }

  // Takes this device's queue: contents into `received` (receipts are skipped).
  async receive() {
    for (const bytes of this.relay.drain(this.number, this.deviceId)) {
      const envelope = decodeEnvelope(bytes);
      const id = toHex(envelope.messageId);
      if (envelope.kind === ENVELOPE_DELIVERY_RECEIPT) continue;
      const key = `${envelope.source}/${envelope.sourceDevice}`;
      const held = this.sessions.get(key);
      // A prekey message that the held session does not take starts a new one.
      let plaintext = envelope.kind === ENVELOPE_RATCHET_MESSAGE
        ? await held.decrypt(envelope.content)
        : await held?.decrypt(envelope.content).catch(() => undefined);
      if (plaintext === undefined) {
        const accepted = await acceptSession(this.source, this.identity, this.preKeys, envelope.content);
        this.sessions.set(key, accepted.session);
        plaintext = accepted.plaintext;
      }
      this.received.push({
        id, from: envelope.source, fromDevice: envelope.sourceDevice,
        content: JSON.parse(new TextDecoder().decode(plaintext)),
      });
    }
  }
}
