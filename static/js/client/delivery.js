// The delivery WebSocket (docs/relay-api.md, "Delivery"): envelopes come as binary frames
// (Delivery.parseEnvelopeFrame) and are handled one at a time, in order; each queued one is
// acknowledged only after its handler stored what it changed, an online one never. Events and the
// closing of the socket are handled in the same order as the envelopes around them. A dropped
// connection is reopened after Delivery.reconnectDelayMs. The wire contract itself is the
// protocol's (protocol/delivery.js).

import { Delivery, decodeEnvelope } from '../protocol/index.js';

const { Close, Event } = Delivery;

function frameBytes(data) {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

export class DeliveryConnection {
  #api;
  #auth;
  #WebSocket;
  #handlers;
  #socket = null;
  #work = Promise.resolve();
  #attempt = 0;
  #retryTimer = null;
  #stopped = true;
  #generation = 0; // a connection attempt of an earlier start() gives up
  #onBrowserOnline = () => this.#retryNow();

  // handlers: onEnvelope(envelope) resolves to true to acknowledge it (a rejection, reported to
  // onError, leaves it on the relay, which sends it again on the next connection; an online
  // envelope is in no queue and is never acknowledged); onEvent(event);
  // onOnline(); onOffline({ replaced }); onLoggedOut(reason); onError(error) for what no caller
  // waits on.
  constructor({ api, auth, WebSocketImpl, handlers }) {
    this.#api = api;
    this.#auth = auth;
    this.#WebSocket = WebSocketImpl;
    this.#handlers = handlers;
  }

  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#generation++;
    this.#attempt = 0;
    globalThis.addEventListener?.('online', this.#onBrowserOnline);
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    globalThis.removeEventListener?.('online', this.#onBrowserOnline);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket && socket.readyState <= 1) socket.close(1000);
  }

  // Resolves once every frame received so far was handled.
  idle() {
    return this.#work;
  }

  async #connect() {
    const generation = this.#generation;
    let token;
    try {
      token = await this.#auth.token();
    } catch (error) {
      // A device the relay no longer knows was logged out by the auth (onGone); anything else
      // (the relay is unreachable) is tried again.
      if (error.code !== 'LOGGED_OUT' && generation === this.#generation) this.#scheduleRetry();
      return;
    }
    if (this.#stopped || generation !== this.#generation) return;
    let socket;
    try {
      socket = new this.#WebSocket(this.#api.webSocketUrl(`${Delivery.DELIVERY_PATH}?token=${encodeURIComponent(token)}`));
    } catch (error) {
      this.#handlers.onError(error);
      this.#scheduleRetry();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.#attempt = 0;
      this.#then(() => this.#handlers.onOnline());
    };
    socket.onmessage = (event) => {
      if (this.#socket === socket) this.#then(() => this.#onMessage(socket, event.data));
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      // A connection refused at the upgrade (e.g. an expired token) closes before it opens: the
      // next attempt authenticates afresh, which also tells a device the relay no longer knows.
      if (!opened) this.#auth.invalidate();
      this.#then(() => this.#onClose(event.code, event.reason, opened));
    };
    socket.onerror = () => {}; // always followed by a close
  }

  #then(step) {
    this.#work = this.#work.then(step).catch((error) => this.#handlers.onError(error));
  }

  async #onMessage(socket, data) {
    if (typeof data === 'string') {
      let event;
      try {
        event = JSON.parse(data);
      } catch {
        return;
      }
      if (event !== null && typeof event === 'object') await this.#handlers.onEvent(event);
      return;
    }
    const bytes = frameBytes(data);
    if (!bytes) return;
    let frame;
    try {
      frame = Delivery.parseEnvelopeFrame(bytes);
    } catch {
      return; // not an envelope frame: nothing to acknowledge
    }
    let envelope;
    try {
      envelope = decodeEnvelope(frame.envelope);
    } catch {
      // Can never be read: acknowledged, so it does not block the queue.
      this.#acknowledge(socket, frame);
      return;
    }
    if (await this.#handlers.onEnvelope(envelope)) this.#acknowledge(socket, frame);
  }

  // An acknowledgement that cannot be sent is no error: the envelope comes again and is
  // recognised by its message id. An online envelope is in no queue: nothing acknowledges it.
  #acknowledge(socket, { seq, online }) {
    if (!online && socket.readyState === 1) socket.send(JSON.stringify({ type: Event.ACK, seq }));
  }

  async #onClose(code, reason, opened) {
    if (Delivery.isLogout(code)) {
      this.stop();
      await this.#handlers.onLoggedOut(Delivery.logoutReason(code, reason));
      return;
    }
    if (opened) await this.#handlers.onOffline({ replaced: code === Close.REPLACED });
    if (code === Close.REPLACED) {
      // Another tab (or window) of this device took the connection: two would step the same
      // ratchets. This one stays off until the page is loaded again.
      this.stop();
      return;
    }
    this.#scheduleRetry();
  }

  #scheduleRetry() {
    if (this.#stopped) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, Delivery.reconnectDelayMs(this.#attempt++));
  }

  #retryNow() {
    if (this.#stopped || this.#retryTimer === null) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#connect();
  }
}
