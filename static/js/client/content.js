// The plaintext inside the ratchet, the same small JSON objects the Java client reads and writes
// (docs/client.md):
//   {"v":1,"type":"text","body","ts","peer"?}   peer only on the copies for the sender's own other
//                                                devices: the other account of the conversation
//   {"v":1,"type":"history","part","parts","messages":[...]}   the primary's recent chats, sent
//                                                to a new companion alone (docs/linking.md)

import { ErrorCode, MAX_PLAINTEXT, ProtocolError } from '../protocol/index.js';
import { isE164 } from '../protocol/safety.js';
import { fromUtf8, utf8 } from './encoding.js';

const CONTENT_VERSION = 1;
export const TEXT = 'text';
export const HISTORY = 'history';

const MESSAGE_ID_HEX = /^[0-9a-f]{32}$/;

// Keys in the order the Java client writes them.
export function encodeText(body, ts, peer) {
  const content = { v: CONTENT_VERSION, type: TEXT, body, ts };
  if (peer !== undefined) content.peer = peer;
  return utf8(JSON.stringify(content));
}

// The plaintext a text becomes, the longer of its two copies; over MAX_PLAINTEXT it cannot be sent.
export function textFits(body, ts, peer) {
  return encodeText(body, ts, peer).length <= MAX_PLAINTEXT;
}

function malformed(detail) {
  return new ProtocolError(ErrorCode.MALFORMED, detail);
}

function isTime(value) {
  return Number.isSafeInteger(value) && value >= 0;
}

// Checks what every content has (a version 1 object with a type) and what its type needs. Texts
// return { type, body, ts, peer }, histories { type, part, parts, messages }, any other type
// { type } (a later client's content, which this one does not show).
export function decodeContent(plaintext) {
  let content;
  try {
    content = JSON.parse(fromUtf8(plaintext));
  } catch {
    throw malformed('the message is not UTF-8 JSON');
  }
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    throw malformed('the message is not a JSON object');
  }
  if (content.v !== CONTENT_VERSION) {
    throw new ProtocolError(ErrorCode.UNSUPPORTED_VERSION, `message content version ${content.v}`);
  }
  if (typeof content.type !== 'string') throw malformed('the message has no type');
  if (content.type === TEXT) return decodeText(content);
  if (content.type === HISTORY) return decodeHistory(content);
  return { type: content.type };
}

function decodeText({ body, ts, peer }) {
  if (typeof body !== 'string') throw malformed('the text has no body');
  if (!isTime(ts)) throw malformed('the text has no time');
  if (peer !== undefined && !isE164(peer)) throw malformed('the text names a peer that is not a number');
  return { type: TEXT, body, ts, peer: peer ?? null };
}

function decodeHistory({ part, parts, messages }) {
  if (!Number.isSafeInteger(parts) || parts < 1 || !Number.isSafeInteger(part) || part < 1 || part > parts) {
    throw malformed('a history part is numbered 1..parts');
  }
  if (!Array.isArray(messages)) throw malformed('a history part has no messages');
  return { type: HISTORY, part, parts, messages: messages.map(decodeHistoryEntry) };
}

// One text of the primary's history: {"peer","from","fromDevice","outgoing","body","ts","id"}.
function decodeHistoryEntry(entry) {
  if (entry === null || typeof entry !== 'object') throw malformed('a history entry is not an object');
  const { peer, from, fromDevice, outgoing, body, ts, id } = entry;
  const valid = isE164(peer) && isE164(from) && Number.isSafeInteger(fromDevice) && fromDevice >= 1 &&
    typeof outgoing === 'boolean' && typeof body === 'string' && isTime(ts) &&
    typeof id === 'string' && MESSAGE_ID_HEX.test(id);
  if (!valid) throw malformed('a history entry lacks a field or has a bad one');
  return { id, peer, from, fromDevice, outgoing, body, ts };
}
