// The delivery connection: acknowledging only what was handled, close codes, reconnecting.

import { deepEqual, equal, ok } from '../assert.js';
import { DeliveryConnection } from '../../../static/js/client/delivery.js';
import { Delivery } from '../../../static/js/protocol/index.js';
import { ENVELOPE_DELIVERY_RECEIPT, encodeEnvelope } from '../../../static/js/protocol/index.js';
import { concat, u64 } from '../../../static/js/protocol/bytes.js';
import { waitFor } from './test-device.js';

// A WebSocket the test drives: it opens at once and records what the client sends.
class ScriptedSocket {
  static last = null;

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    ScriptedSocket.last = this;
    setTimeout(() => {
      this.readyState = 1;
      this.onopen?.({});
    }, 0);
  }

  send(data) {
    this.sent.push(JSON.parse(data));
  }

  close() {
    this.readyState = 3;
  }

  receive(data) {
    this.onmessage({ data });
  }

  drop(code, reason = '') {
    this.readyState = 3;
    this.onclose({ code, reason });
  }
}

function frame(seq, envelope) {
  return concat(Uint8Array.of(1), u64(seq), envelope).buffer;
}

function receipt(n) {
  return encodeEnvelope({
    kind: ENVELOPE_DELIVERY_RECEIPT, messageId: new Uint8Array(16).fill(n), timestamp: 1, serverTimestamp: 2,
    source: '+8801811000002', sourceDevice: 1, destinationDevice: 2, content: new Uint8Array(0),
  });
}

function connection(handlers) {
  const calls = [];
  const record = (name) => (...args) => {
    calls.push([name, ...args]);
    return handlers[name]?.(...args);
  };
  const delivery = new DeliveryConnection({
    api: { webSocketUrl: (path) => `ws://relay.test${path}` },
    auth: { token: async () => 'tok+en', invalidate: () => calls.push(['invalidate']) },
    WebSocketImpl: ScriptedSocket,
    handlers: {
      onEnvelope: record('onEnvelope'), onEvent: record('onEvent'), onOnline: record('onOnline'),
      onOffline: record('onOffline'), onLoggedOut: record('onLoggedOut'), onError: record('onError'),
    },
  });
  return { delivery, calls };
}

export const tests = [
  ['acknowledges what was handled, not what failed; a frame that is no envelope is acknowledged', async () => {
    const { delivery, calls } = connection({
      onEnvelope: async (envelope) => {
        if (envelope.messageId[0] === 2) throw new Error('stays on the relay');
        return true;
      },
    });
    delivery.start();
    await waitFor(() => ScriptedSocket.last?.readyState === 1, 'the socket');
    const socket = ScriptedSocket.last;
    equal(socket.url, 'ws://relay.test/v1/websocket?token=tok%2Ben');
    socket.receive(frame(1, receipt(1)));
    socket.receive(frame(2, receipt(2)));
    socket.receive(frame(3, Uint8Array.of(1, 9, 9)));
    socket.receive('{"type":"queue-empty"}');
    await delivery.idle();
    deepEqual(socket.sent, [{ type: 'ack', seq: 1 }, { type: 'ack', seq: 3 }]);
    deepEqual(calls.filter((c) => c[0] === 'onEvent').map((c) => c[1]), [{ type: 'queue-empty' }]);
    equal(calls.filter((c) => c[0] === 'onError').length, 1);
    delivery.stop();
  }],

  ['an online envelope is handled like any other and never acknowledged; the queued ones around it are', async () => {
    const { delivery, calls } = connection({ onEnvelope: async () => true });
    delivery.start();
    await waitFor(() => ScriptedSocket.last?.readyState === 1, 'the socket');
    const socket = ScriptedSocket.last;
    socket.receive(frame(1, receipt(1)));
    socket.receive(Delivery.encodeEnvelopeFrame(0, receipt(2)).buffer);
    socket.receive(Delivery.encodeEnvelopeFrame(0, Uint8Array.of(1, 9, 9)).buffer);
    socket.receive(frame(2, receipt(3)));
    await delivery.idle();
    deepEqual(calls.filter((c) => c[0] === 'onEnvelope').map((c) => c[1].messageId[0]), [1, 2, 3]);
    deepEqual(socket.sent, [{ type: 'ack', seq: 1 }, { type: 'ack', seq: 2 }]);
    equal(calls.filter((c) => c[0] === 'onError').length, 0);
    delivery.stop();
  }],

  ['4000 stops reconnecting; 4001 and 4002 log out; other closes reconnect', async () => {
    const first = connection({});
    first.delivery.start();
    await waitFor(() => ScriptedSocket.last?.readyState === 1, 'the socket');
    ScriptedSocket.last.drop(4000, 'replaced');
    await first.delivery.idle();
    deepEqual(first.calls.filter((c) => c[0] === 'onOffline').map((c) => c[1]), [{ replaced: true }]);

    const second = connection({});
    second.delivery.start();
    await waitFor(() => ScriptedSocket.last?.readyState === 1, 'the socket');
    ScriptedSocket.last.drop(4002, 'reregistered');
    await second.delivery.idle();
    deepEqual(second.calls.filter((c) => c[0] === 'onLoggedOut').map((c) => c[1]), ['reregistered']);

    const third = connection({});
    third.delivery.start();
    await waitFor(() => ScriptedSocket.last?.readyState === 1, 'the socket');
    const dropped = ScriptedSocket.last;
    dropped.drop(1006);
    await waitFor(() => ScriptedSocket.last !== dropped && ScriptedSocket.last.readyState === 1, 'a new socket', 3000);
    equal(third.calls.filter((c) => c[0] === 'onOnline').length, 2);
    third.delivery.stop();
  }],

  ['why a device was logged out: the close reason the relay gives, else what the close code says', () => {
    for (const reason of ['logged-out', 'removed', 'primary-inactive', 'inactive', 'reregistered']) {
      equal(Delivery.logoutReason(4001, reason), reason);
    }
    equal(Delivery.logoutReason(4002, ''), 'reregistered');
    equal(Delivery.logoutReason(4001, 'something else'), 'removed');
  }],

  ['reconnection waits grow from 0.5 s to 30 s, spread', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const base = Math.min(30_000, 500 * 2 ** attempt);
      const wait = Delivery.reconnectDelayMs(attempt);
      ok(wait >= base * 0.8 && wait <= base, `${attempt}: ${wait}`);
    }
  }],
];
