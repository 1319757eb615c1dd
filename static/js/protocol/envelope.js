// The envelope the relay stores and delivers (section 9). Its content is opaque here.

import { Reader, VERSION, ascii, concat, requireBytes, u32, u64, u8 } from './bytes.js';
import { ErrorCode, ProtocolError, fail } from './errors.js';
import { MAX_CONTENT } from './limits.js';
import { isE164 } from './safety.js';

export const ENVELOPE_PREKEY_MESSAGE = 1;
export const ENVELOPE_RATCHET_MESSAGE = 2;
export const ENVELOPE_DELIVERY_RECEIPT = 3;

const MESSAGE_ID_LENGTH = 16;
const MAX_SOURCE_LENGTH = 16; // '+' and at most 15 digits
const FIXED_LENGTH = 1 + 1 + MESSAGE_ID_LENGTH + 8 + 8 + 1 + 4 + 4 + 4;
export const MAX_ENVELOPE = FIXED_LENGTH + MAX_SOURCE_LENGTH + MAX_CONTENT;

function isKind(kind) {
  return kind === ENVELOPE_PREKEY_MESSAGE || kind === ENVELOPE_RATCHET_MESSAGE || kind === ENVELOPE_DELIVERY_RECEIPT;
}

function isDeviceId(id) {
  return Number.isInteger(id) && id >= 1 && id <= 0xffffffff;
}

// The field rules both directions share. A receipt, and only a receipt, has no content.
function validate({ kind, messageId, source, sourceDevice, destinationDevice, content }) {
  if (!isKind(kind)) fail(ErrorCode.MALFORMED, `envelope kind ${kind}`);
  requireBytes(messageId, MESSAGE_ID_LENGTH, 'message id');
  if (!isE164(source)) fail(ErrorCode.MALFORMED, 'source is not a number in E.164 form');
  if (!isDeviceId(sourceDevice) || !isDeviceId(destinationDevice)) {
    fail(ErrorCode.MALFORMED, 'device ids are 1..2^32-1');
  }
  requireBytes(content, undefined, 'content');
  if (content.length > MAX_CONTENT) throw new ProtocolError(ErrorCode.TOO_LARGE, `content of ${content.length} bytes`);
  if ((kind === ENVELOPE_DELIVERY_RECEIPT) !== (content.length === 0)) {
    fail(ErrorCode.MALFORMED, 'a delivery receipt, and only a receipt, has no content');
  }
}

// fields: { kind, messageId: Uint8Array(16), timestamp, serverTimestamp, source: '+…',
// sourceDevice, destinationDevice, content: Uint8Array }.
export function encodeEnvelope(fields) {
  validate(fields);
  const { kind, messageId, timestamp, serverTimestamp, source, sourceDevice, destinationDevice, content } = fields;
  const sourceBytes = ascii(source);
  return concat(u8(VERSION), u8(kind), messageId, u64(timestamp), u64(serverTimestamp), u8(sourceBytes.length),
    sourceBytes, u32(sourceDevice), u32(destinationDevice), u32(content.length), content);
}

// Checks the version, the kind, the size limits, then every field; returns the fields.
export function decodeEnvelope(bytes) {
  const reader = Reader.open(bytes, 'Envelope');
  const kind = reader.u8();
  if (!isKind(kind)) fail(ErrorCode.MALFORMED, `envelope kind ${kind}`);
  if (bytes.length > MAX_ENVELOPE) throw new ProtocolError(ErrorCode.TOO_LARGE, `envelope of ${bytes.length} bytes`);
  const messageId = reader.take(MESSAGE_ID_LENGTH);
  const timestamp = reader.u64();
  const serverTimestamp = reader.u64();
  const sourceBytes = reader.take(reader.u8());
  // Bytes outside ASCII cannot be part of an E.164 number; decoding them as Latin-1 keeps them
  // distinct characters, so the E.164 check below refuses them.
  const source = String.fromCharCode(...sourceBytes);
  const sourceDevice = reader.u32();
  const destinationDevice = reader.u32();
  const contentLength = reader.u32();
  if (contentLength > MAX_CONTENT) {
    throw new ProtocolError(ErrorCode.TOO_LARGE, `envelope content of ${contentLength} bytes`);
  }
  const content = reader.take(contentLength);
  reader.end();
  const fields = { kind, messageId, timestamp, serverTimestamp, source, sourceDevice, destinationDevice, content };
  validate(fields);
  return fields;
}
