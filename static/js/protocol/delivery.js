// The wire contract of the relay's two WebSockets (docs/relay-api.md, "Delivery" and "Linking"):
// paths, the envelope frames, close codes and reasons, frame and event names, and how a client
// connects again. The twin of Delivery.java; protocol/vectors/delivery.json keeps the two the same.

import { concat, readU64, u64 } from './bytes.js';
import { ErrorCode, ProtocolError } from './errors.js';
import { MAX_ENVELOPE } from './envelope.js';
import { MAX_U64 } from './limits.js';

// The delivery WebSocket; ?token= carries the device's bearer token.
export const DELIVERY_PATH = '/v1/websocket';
// The provisioning WebSocket a companion holds while it is being linked (no token).
export const PROVISIONING_PATH = '/v1/provisioning/websocket';

// The frame of a queued envelope: 0x01 || seq (u64, big-endian) || Envelope. The device
// acknowledges it by its seq, and only then does it leave the queue.
export const ENVELOPE_FRAME = 0x01;
export const FRAME_HEADER = 1 + 8;
export const MAX_FRAME = FRAME_HEADER + MAX_ENVELOPE;
// The frame of an online envelope: 0x02 || Envelope. It was sent to the devices connected at that
// moment and never queued, so it has no seq and is never acknowledged.
export const ONLINE_FRAME = 0x02;
export const ONLINE_FRAME_HEADER = 1;

// seq 1..2^53-1 for a queued envelope, 0 for an online one.
export function encodeEnvelopeFrame(seq, envelope) {
  if (seq === 0) return concat(Uint8Array.of(ONLINE_FRAME), envelope);
  return concat(Uint8Array.of(ENVELOPE_FRAME), u64(seq), envelope);
}

// Reads a binary frame into { seq, online, envelope }; an online envelope has seq 0 and online true.
// MALFORMED when it is shorter than its header, larger than the largest envelope allows, of another
// kind or, queued, numbered outside 1..2^53-1. The envelope inside is not parsed here: a queued one
// that cannot be read is still acknowledged by its seq.
export function parseEnvelopeFrame(frame) {
  const kind = frame.length === 0 ? 0 : frame[0];
  const header = kind === ONLINE_FRAME ? ONLINE_FRAME_HEADER : FRAME_HEADER;
  if (frame.length < header || frame.length > header + MAX_ENVELOPE) {
    throw new ProtocolError(ErrorCode.MALFORMED, `a delivery frame of ${frame.length} bytes`);
  }
  if (kind === ONLINE_FRAME) return { seq: 0, online: true, envelope: frame.slice(header) };
  if (kind !== ENVELOPE_FRAME) throw new ProtocolError(ErrorCode.MALFORMED, 'a delivery frame of an unknown kind');
  const seq = readU64(frame, 1);
  if (seq < 1 || seq > MAX_U64) {
    throw new ProtocolError(ErrorCode.MALFORMED, 'a delivery frame numbered outside 1..2^53-1');
  }
  return { seq, online: false, envelope: frame.slice(header) };
}

// WebSocket close codes the relay uses.
export const Close = Object.freeze({
  GOING_AWAY: 1001, // the node is stopping: connect again, here once it is back or elsewhere
  UNAVAILABLE: 1011, // the relay cannot serve the socket now: try again later
  REPLACED: 4000, // a newer connection of the same device replaced this one: do not connect again
  DEVICE_REMOVED: 4001, // the device is no longer part of its account; the reason says why
  NUMBER_REREGISTERED: 4002, // the number was registered on a new primary
  LINK_TIMED_OUT: 4010, // a provisioning socket lived its time without being linked
});

export function isLogout(code) {
  return code === Close.DEVICE_REMOVED || code === Close.NUMBER_REREGISTERED;
}

// Close reasons: machine-readable words, which a device turns into a sentence for its user.
export const Reason = Object.freeze({
  REPLACED: 'replaced',
  GOING_AWAY: 'going-away',
  LOGGED_OUT: 'logged-out', // the device logged itself out
  REMOVED: 'removed', // the primary removed it
  REREGISTERED: 'reregistered',
  PRIMARY_INACTIVE: 'primary-inactive', // the primary was not seen for too long
  INACTIVE: 'inactive', // the companion was not used for too long
  // A provisioning socket's reasons are shown to a person as they are.
  LINK_TIMED_OUT: 'linking timed out; reload to try again',
  LINK_GOING_AWAY: 'the relay is restarting; reload to try again',
  LINK_UNAVAILABLE: 'linking is unavailable; try again',
});

// The reasons a device can be logged out for.
export const LOGOUT_REASONS = Object.freeze([
  Reason.LOGGED_OUT, Reason.REMOVED, Reason.REREGISTERED, Reason.PRIMARY_INACTIVE, Reason.INACTIVE,
]);

// Why a device was logged out, from the close: the relay's word when it is one of LOGOUT_REASONS,
// otherwise what the code implies.
export function logoutReason(code, reason) {
  if (LOGOUT_REASONS.includes(reason)) return reason;
  return code === Close.NUMBER_REREGISTERED ? Reason.REREGISTERED : Reason.REMOVED;
}

// The type of the JSON text frames on the delivery socket.
export const Event = Object.freeze({
  ACK: 'ack', // device to relay, {type, seq}: the only frame a device sends
  QUEUE_EMPTY: 'queue-empty',
  PREKEYS_LOW: 'prekeys-low',
  DEVICES_CHANGED: 'devices-changed',
  DEVICE_LINKED: 'device-linked',
  PAIRING_REQUEST: 'pairing-request',
  PAIRING_WRONG_CODE: 'pairing-wrong-code',
  PAIRING_CONFIRM: 'pairing-confirm',
  PAIRING_ENDED: 'pairing-ended',
  ERROR: 'error',
});

// The type of the JSON frames on the provisioning socket.
export const ProvisioningFrame = Object.freeze({
  ADDRESS: 'address', // relay to companion: the one-time address for the QR code
  ROTATE: 'rotate', // companion to relay: a new address, please
  PROVISION: 'provision', // relay to companion: the primary's sealed provisioning message
  PAIR: 'pair', // companion to relay: a pairing request by number and code hello
  PAIRING: 'pairing', // relay to companion: the request was recorded
  REPLY: 'reply', // relay to companion: the primary's reply to the hello
  WRONG_CODE: 'wrong-code', // companion to relay: the reply did not open
  CONFIRM: 'confirm', // companion to relay: the confirmation for the primary
  PAIRING_ENDED: Event.PAIRING_ENDED,
  ERROR: Event.ERROR,
});

// How a quiet connection is told from a dead one: the relay pings every open socket every
// PING_INTERVAL_MS, and a socket that brought nothing for IDLE_TIMEOUT_MS (three pings) is lost.
// A browser answers pings itself and cannot see them; the relay closes a browser that stopped
// answering.
export const Keepalive = Object.freeze({ PING_INTERVAL_MS: 30_000, IDLE_TIMEOUT_MS: 90_000 });

// How a client connects again after a lost connection: from FIRST doubling to LAST, each wait
// shortened by up to JITTER of itself at random, so that the devices a stopping node dropped do
// not all come back at the same moment.
export const Reconnect = Object.freeze({ FIRST_MS: 500, LAST_MS: 30_000, JITTER: 0.2 });

// The wait in ms before the attempt-th try (from 0), for random in [0, 1).
export function reconnectDelayMs(attempt, random = Math.random()) {
  const base = Math.min(Reconnect.LAST_MS, Reconnect.FIRST_MS * 2 ** Math.min(Math.max(attempt, 0), 16));
  return Math.round(base * (1 - Reconnect.JITTER * random));
}
