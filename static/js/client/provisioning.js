// The companion's side of the provisioning socket (docs/linking.md): one attempt to link, by QR
// or by phone number + code. An attempt ends in exactly one outcome: { record } (linked),
// { reason } (failed: a relay or protocol error code, or TIMEOUT, UNREACHABLE, CONNECTION_LOST),
// or { cancelled: true }.
//
// A socket lost while the attempt waits (the relay restarted, the network dropped) is not the end
// of it: the attempt connects again after Delivery.reconnectDelayMs, as the delivery connection
// does, and says so ('link-reconnecting'). What the lost socket held died with it (the QR's address,
// the pairing request and its code), so the new socket brings a new QR code or a new code. Only the
// relay's refusals end an attempt: an error frame, the end of a pairing request, the socket's
// lifetime (Close.LINK_TIMED_OUT); and so does a relay that cannot be reached for LINK_TIMEOUT_MS.

import { Delivery, ErrorCode, createProvisioningKey, openProvisioning } from '../protocol/index.js';
import { fromBase64, toBase64, utf8 } from './encoding.js';
import { acceptProvisioning } from './linking.js';
import { linkUri } from './link-uri.js';

// The page shows a new QR code (a new one-time address) this often.
const ROTATE_MS = 30_000;
// The relay closes the provisioning socket after 5 minutes (Delivery.Close.LINK_TIMED_OUT); an
// attempt ends then even if the relay does not, and so it does when no socket could be opened for
// as long.
const LINK_TIMEOUT_MS = 5 * 60_000;
// Wrong codes the relay allows per pairing request.
const MAX_WRONG_CODES = 3;
const Frame = Delivery.ProvisioningFrame;

function reasonOf(error) {
  return typeof error?.code === 'string' ? error.code : 'FAILED';
}

class LinkAttempt {
  #socketUrl;
  #WebSocket;
  #socket = null;
  #timers = new Set();
  #socketTimers = new Set(); // the timers of the socket that is open, stopped when it closes
  #deadline = null;
  #retryTimer = null;
  #reconnects = 0; // since the last socket that opened
  #everOpened = false;
  #frames = Promise.resolve();
  #settle;
  #completing = false;
  #onBrowserOnline = () => this.#retryNow();

  // socketUrl: the provisioning socket's URL; emit(type, detail) raises the Device's events;
  // complete(accepted) registers the device and resolves to its record. `started` resolves once
  // the first socket opened, or once it could not (the attempt goes on connecting).
  constructor({ socketUrl, WebSocketImpl, emit, complete }) {
    this.#socketUrl = socketUrl;
    this.#WebSocket = WebSocketImpl;
    this.emit = emit;
    this.complete = complete;
    this.outcome = new Promise((resolve) => {
      this.#settle = resolve;
    });
    this.started = new Promise((resolve) => {
      this.#startDeadline();
      this.#connect(resolve);
    });
    globalThis.addEventListener?.('online', this.#onBrowserOnline);
    this.outcome.then(() => this.#stop());
  }

  get active() {
    return this.#settle !== null;
  }

  send(frame) {
    if (this.active && this.socketOpen) this.#socket.send(JSON.stringify(frame));
  }

  #after(ms, fn) {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  // Runs fn every ms while the socket that is open now stays open.
  everyWhileOpen(ms, fn) {
    this.#socketTimers.add(setInterval(fn, ms));
  }

  #stopSocketTimers() {
    for (const timer of this.#socketTimers) clearInterval(timer);
    this.#socketTimers.clear();
  }

  // The relay closes an open socket at the end of its lifetime; with no socket open, the relay is
  // out of reach.
  #startDeadline() {
    if (this.#deadline !== null) {
      clearTimeout(this.#deadline);
      this.#timers.delete(this.#deadline);
    }
    this.#deadline = this.#after(LINK_TIMEOUT_MS, () => this.fail(this.socketOpen ? 'TIMEOUT' : 'UNREACHABLE'));
  }

  #connect(started = () => {}) {
    if (!this.active) {
      started();
      return;
    }
    let socket;
    try {
      socket = new this.#WebSocket(this.#socketUrl);
    } catch {
      // A URL the platform refuses: trying again would not help.
      this.fail('UNREACHABLE');
      started();
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      opened = true;
      const reopened = this.#everOpened;
      this.#everOpened = true;
      this.#reconnects = 0;
      this.#startDeadline();
      started();
      // reopened: an earlier socket of this attempt had opened. current(): this socket is still the
      // attempt's (for what onOpen does after awaiting).
      Promise.resolve(this.onOpen({ reopened, current: () => this.#socket === socket && this.active }))
        .catch((error) => this.fail(reasonOf(error)));
    };
    socket.onmessage = (event) => {
      if (this.#socket === socket) this.#onMessage(event.data);
    };
    socket.onclose = (event) => {
      started();
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#stopSocketTimers();
      this.#onClose(event.code, opened);
    };
    // An error is always followed by a close, which says what happened.
    socket.onerror = () => {};
  }

  #end(outcome) {
    if (!this.active) return;
    const settle = this.#settle;
    this.#settle = null;
    settle(outcome);
  }

  fail(reason) {
    this.#end({ reason });
  }

  cancel() {
    // Once the device registers with the relay, the attempt finishes: the relay has the device.
    if (!this.#completing) this.#end({ cancelled: true });
  }

  // Registers the device with what the primary sent (the socket may close meanwhile), then runs
  // `then` (the code flow's confirmation) before the attempt ends.
  async finish(accepted, then = async () => {}) {
    this.#completing = true;
    try {
      const record = await this.complete(accepted);
      await then();
      this.#end({ record });
    } catch (error) {
      this.fail(reasonOf(error));
    }
  }

  get socketOpen() {
    return this.#socket?.readyState === 1;
  }

  #stop() {
    globalThis.removeEventListener?.('online', this.#onBrowserOnline);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#stopSocketTimers();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket && socket.readyState <= 1) socket.close(1000);
  }

  // Frames are handled one at a time, in order, even when handling one awaits.
  #onMessage(data) {
    if (typeof data !== 'string') return;
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame === null || typeof frame !== 'object') return;
    this.#frames = this.#frames.then(async () => {
      if (!this.active || this.#completing) return;
      if (frame.type === Frame.ERROR) this.fail(typeof frame.error === 'string' ? frame.error : 'FAILED');
      else await this.onFrame(frame);
    }).catch((error) => this.fail(reasonOf(error)));
  }

  #onClose(code, opened) {
    if (this.#completing || !this.active) return;
    if (code === Delivery.Close.LINK_TIMED_OUT) {
      this.fail('TIMEOUT');
      return;
    }
    // Lost, or not opened: connect again. What the old socket held is gone with it.
    const delayMs = Delivery.reconnectDelayMs(this.#reconnects++);
    this.emit('link-reconnecting', { delayMs, wasOpen: opened });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delayMs);
  }

  // The browser says it is online again: no need to wait out the delay.
  #retryNow() {
    if (!this.active || this.#retryTimer === null) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#connect();
  }
}

// QR: shows a new code at every address; the primary that scanned it sends the provisioning
// message to the address.
export class QrLink extends LinkAttempt {
  #identity;
  #name;
  #provisioningKey = null;

  constructor(options, { identity, name, source }) {
    super(options);
    this.#identity = identity;
    this.#name = name;
    this.keyReady = createProvisioningKey(source).then((key) => {
      this.#provisioningKey = key;
    });
  }

  // Every socket gets its first address from the relay on opening, a new one on each ROTATE.
  onOpen() {
    this.everyWhileOpen(ROTATE_MS, () => this.send({ type: Frame.ROTATE }));
  }

  async onFrame(frame) {
    await this.keyReady;
    if (frame.type === Frame.ADDRESS && typeof frame.address === 'string') {
      const lifetime = Number.isFinite(frame.expiresInSeconds) ? frame.expiresInSeconds * 1000 : ROTATE_MS;
      this.emit('qr', {
        uri: linkUri({
          address: frame.address,
          provisioningKey: this.#provisioningKey.publicKey,
          identityKey: this.#identity.publicKey,
          name: this.#name,
        }),
        expiresAt: Date.now() + Math.min(lifetime, ROTATE_MS),
      });
    } else if (frame.type === Frame.PROVISION && typeof frame.message === 'string') {
      let plaintext;
      try {
        plaintext = await openProvisioning(this.#provisioningKey, fromBase64(frame.message, 'message'));
      } catch {
        // Not sealed to this QR's key: not from the primary that scanned it. Keep waiting.
        return;
      }
      await this.finish(await acceptProvisioning(plaintext, this.#identity));
    }
  }
}

// Phone number + code: the relay tells the account's primary; the user types the code shown here
// on the primary, whose reply opens only under the right code.
export class CodeLink extends LinkAttempt {
  #identity;
  #number;
  #codeLink;
  #newCodeLink;
  #wrongCodes = 0;

  // codeLink: the protocol's CompanionCodeLink (startCodeLink), which holds the code and the hello;
  // newCodeLink() resolves to another, for the request a new socket makes.
  constructor(options, { identity, number, codeLink, newCodeLink }) {
    super(options);
    this.#identity = identity;
    this.#number = number;
    this.#codeLink = codeLink;
    this.#newCodeLink = newCodeLink;
  }

  // A socket opened again asks again, with a new code: the relay ended the request of the socket
  // that closed, and a code is never used twice.
  async onOpen({ reopened, current }) {
    if (reopened) {
      const codeLink = await this.#newCodeLink();
      if (!current()) return;
      this.#codeLink = codeLink;
      this.#wrongCodes = 0;
    }
    this.send({ type: Frame.PAIR, number: this.#number, hello: toBase64(this.#codeLink.hello) });
  }

  async onFrame(frame) {
    switch (frame.type) {
      case Frame.PAIRING: {
        const lifetime = Number.isFinite(frame.expiresInSeconds) ? frame.expiresInSeconds * 1000 : 180_000;
        this.emit('code', { code: this.#codeLink.code, expiresAt: Date.now() + lifetime });
        break;
      }
      case Frame.REPLY:
        if (typeof frame.reply === 'string') await this.#onReply(fromBase64(frame.reply, 'reply'));
        break;
      case Frame.PAIRING_ENDED:
        this.fail(typeof frame.reason === 'string' ? frame.reason : 'EXPIRED');
        break;
      default:
        // 'address' (sent on every open) and frames of later relays: nothing to do.
    }
  }

  async #onReply(reply) {
    let plaintext;
    try {
      plaintext = await this.#codeLink.openReply(reply);
    } catch (error) {
      if (error.code !== ErrorCode.AUTH_FAILED) throw error;
      // The primary typed another code. The relay counts it and ends the request after the last.
      this.#wrongCodes++;
      this.send({ type: Frame.WRONG_CODE });
      this.emit('wrong-code', { attemptsLeft: Math.max(0, MAX_WRONG_CODES - this.#wrongCodes) });
      return;
    }
    const accepted = await acceptProvisioning(plaintext, this.#identity, this.#number);
    // The device registers before it confirms: the primary signs it into the list once the
    // confirmation opened, and the relay takes a list only with registered devices.
    await this.finish(accepted, async () => {
      if (!this.socketOpen) throw Object.assign(new Error('the provisioning socket closed'), { code: 'CONNECTION_LOST' });
      const confirm = await this.#codeLink.confirm(utf8(JSON.stringify({ v: 1, cert: toBase64(accepted.cert) })));
      this.send({ type: Frame.CONFIRM, confirm: toBase64(confirm) });
    });
  }
}
