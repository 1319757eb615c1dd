// The companion's side of the provisioning socket (docs/linking.md): one attempt to link, by QR
// or by phone number + code. An attempt ends in exactly one outcome: { record } (linked),
// { reason } (failed: a relay or protocol error code, or TIMEOUT, UNREACHABLE, CONNECTION_LOST),
// or { cancelled: true }.

import { Delivery, ErrorCode, createProvisioningKey, openProvisioning } from '../protocol/index.js';
import { fromBase64, toBase64, utf8 } from './encoding.js';
import { acceptProvisioning, linkUri } from './linking.js';

// The page shows a new QR code (a new one-time address) this often.
const ROTATE_MS = 30_000;
// The relay closes the provisioning socket after 5 minutes (Delivery.Close.LINK_TIMED_OUT); an
// attempt ends then even if the relay does not.
const LINK_TIMEOUT_MS = 5 * 60_000;
// Wrong codes the relay allows per pairing request.
const MAX_WRONG_CODES = 3;
const Frame = Delivery.ProvisioningFrame;

function reasonOf(error) {
  return typeof error?.code === 'string' ? error.code : 'FAILED';
}

class LinkAttempt {
  #socket = null;
  #timers = new Set();
  #frames = Promise.resolve();
  #settle;
  #completing = false;
  #opened = false;

  // socketUrl: the provisioning socket's URL; emit(type, detail) raises the Companion's events;
  // complete(accepted) registers the device and resolves to its record.
  constructor({ socketUrl, WebSocketImpl, emit, complete }) {
    this.emit = emit;
    this.complete = complete;
    this.outcome = new Promise((resolve) => {
      this.#settle = resolve;
    });
    this.started = new Promise((resolve) => {
      this.#after(LINK_TIMEOUT_MS, () => this.fail('TIMEOUT'));
      let socket;
      try {
        socket = new WebSocketImpl(socketUrl);
      } catch {
        this.fail('UNREACHABLE');
        resolve();
        return;
      }
      this.#socket = socket;
      socket.onopen = () => {
        this.#opened = true;
        resolve();
        this.onOpen();
      };
      socket.onmessage = (event) => this.#onMessage(event.data);
      socket.onclose = (event) => {
        resolve();
        this.#onClose(event.code);
      };
      // An error is always followed by a close, which says what happened.
      socket.onerror = () => {};
    });
    this.outcome.then(() => this.#stop());
  }

  get active() {
    return this.#settle !== null;
  }

  send(frame) {
    if (this.active) this.#socket.send(JSON.stringify(frame));
  }

  #after(ms, fn) {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  every(ms, fn) {
    const timer = setInterval(fn, ms);
    this.#timers.add(timer);
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
    for (const timer of this.#timers) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    this.#timers.clear();
    const socket = this.#socket;
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

  #onClose(code) {
    if (this.#completing) return;
    if (code === Delivery.Close.LINK_TIMED_OUT) this.fail('TIMEOUT');
    else this.fail(this.#opened ? 'CONNECTION_LOST' : 'UNREACHABLE');
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

  onOpen() {
    this.every(ROTATE_MS, () => this.send({ type: Frame.ROTATE }));
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
  #wrongCodes = 0;

  // codeLink: the protocol's CompanionCodeLink (startCodeLink), which holds the code and the hello.
  constructor(options, { identity, number, codeLink }) {
    super(options);
    this.#identity = identity;
    this.#number = number;
    this.#codeLink = codeLink;
  }

  onOpen() {
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
