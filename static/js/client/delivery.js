// The delivery WebSocket (docs/relay-api.md, "Delivery"): envelopes come as binary frames
// 0x01 || seq:u64 || Envelope and are handled one at a time, in order; each is acknowledged only
// after its handler stored what it changed. Events and the closing of the socket are handled in
// the same order as the envelopes around them. A dropped connection is reopened with backoff.

import { readU64 } from '../protocol/bytes.js';
import { decodeEnvelope } from '../protocol/index.js';

const ENVELOPE_FRAME = 0x01;
const FRAME_HEADER = 9;

const CloseCode = Object.freeze({ REPLACED: 4000, DEVICE_REMOVED: 4001, NUMBER_MOVED: 4002 });

// Waits before the n-th reconnection (n from 0): 1 s doubling to 30 s, each spread by up to a
// fifth so that devices a relay restart dropped do not all come back at once.
export function backoffMs(attempt) {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.8 + 0.2 * Math.random()));
}

// Why the relay logged this device out: the close reason is a machine-readable word
// (docs/relay-api.md): 'logged-out' (this device asked), 'removed' (by the primary),
// 'primary-inactive' (the primary was not seen for too long), 'inactive' (this companion was not
// used for too long), 'reregistered' (4002: the number was registered on a new primary).
const LOGOUT_REASONS = ['logged-out', 'removed', 'primary-inactive', 'inactive', 'reregistered'];

export function logoutReason(code, reason) {
  if (LOGOUT_REASONS.includes(reason)) return reason;
  return code === CloseCode.NUMBER_MOVED ? 'reregistered' : 'removed';
}

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
  // onError, leaves it on the relay, which sends it again on the next connection); onEvent(event);
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
      socket = new this.#WebSocket(this.#api.webSocketUrl(`/v1/websocket?token=${encodeURIComponent(token)}`));
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
    const frame = frameBytes(data);
    if (!frame || frame.length < FRAME_HEADER || frame[0] !== ENVELOPE_FRAME) return;
    const seq = readU64(frame, 1);
    let envelope;
    try {
      envelope = decodeEnvelope(frame.subarray(FRAME_HEADER));
    } catch {
      // Can never be read: acknowledged, so it does not block the queue.
      this.#acknowledge(socket, seq);
      return;
    }
    if (await this.#handlers.onEnvelope(envelope)) this.#acknowledge(socket, seq);
  }

  // An acknowledgement that cannot be sent is no error: the envelope comes again and is
  // recognised by its message id.
  #acknowledge(socket, seq) {
    if (socket.readyState === 1) socket.send(JSON.stringify({ type: 'ack', seq }));
  }

  async #onClose(code, reason, opened) {
    if (code === CloseCode.DEVICE_REMOVED || code === CloseCode.NUMBER_MOVED) {
      this.stop();
      await this.#handlers.onLoggedOut(logoutReason(code, reason));
      return;
    }
    if (opened) await this.#handlers.onOffline({ replaced: code === CloseCode.REPLACED });
    if (code === CloseCode.REPLACED) {
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
    }, backoffMs(this.#attempt++));
  }

  #retryNow() {
    if (this.#stopped || this.#retryTimer === null) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#connect();
  }
}
