// Text encodings of byte strings used on the wire: standard base64 with padding (the relay's
// JSON), base64url without padding (the linking URI), UTF-8. (Hex, for message ids, is the
// protocol's toHex.)

import { ClientError, ClientErrorCode } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text) {
  return encoder.encode(text);
}

// Throws a TypeError on bytes that are not UTF-8, so a damaged plaintext is never shown altered.
export function fromUtf8(bytes) {
  return decoder.decode(bytes);
}

export function toBase64(bytes) {
  let binary = '';
  // In chunks: String.fromCharCode takes its bytes as arguments, and engines limit their number.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// Refuses anything but canonical standard base64 (with padding), as the relay writes it.
export function fromBase64(text, what = 'value') {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new ClientError(ClientErrorCode.BAD_ANSWER, `${what} is not base64`);
  }
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function toBase64Url(bytes) {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
