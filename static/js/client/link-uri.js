// What a companion's QR code holds (docs/linking.md, "QR"), the twin of the Java client's LinkUri:
// quintet://link?v=1&a=ADDRESS&k=BASE64URL(Q.pub)&i=BASE64URL(IdentityKey)&n=BASE64URL(name),
// base64url without padding, the name in UTF-8. Parsing is strict: the primary signs a
// certificate for what it reads here, so anything but exactly these five fields is refused.
// protocol/vectors/link-uris.json holds both twins to the same answers.

import { IDENTITY_KEY_LENGTH, parseIdentityKey } from '../protocol/keys.js';
import { ClientError, ClientErrorCode } from './errors.js';
import { fromUtf8, toBase64Url, utf8 } from './encoding.js';

export const LINK_URI_PREFIX = 'quintet://link?';
// The relay's limit on a device name (in characters, as Java counts them: UTF-16 code units).
export const MAX_NAME_LENGTH = 64;
const ADDRESS_LENGTH = 16;
const KEY_LENGTH = 32;
const FIELDS = ['v', 'a', 'k', 'i', 'n'];

// The URI, fields in the order the documentation gives them. The address is the relay's,
// already base64url.
export function linkUri({ address, provisioningKey, identityKey, name }) {
  return `${LINK_URI_PREFIX}v=1&a=${address}&k=${toBase64Url(provisioningKey)}&i=${toBase64Url(identityKey)}` +
    `&n=${toBase64Url(utf8(name))}`;
}

function invalid(why) {
  return new ClientError(ClientErrorCode.INVALID_LINK, `not a Quintet link: ${why}`);
}

// Base64url without padding, in its one canonical spelling; length -1 takes any length.
function decode(value, field, length) {
  if (!/^[A-Za-z0-9_-]*$/.test(value) || value.length % 4 === 1) throw invalid(`${field} is not base64url without padding`);
  const standard = value.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(standard + '='.repeat((4 - (value.length % 4)) % 4)), (c) => c.charCodeAt(0));
  // Decoding ignores the unused bits of the last symbol; encoding again does not.
  if (toBase64Url(bytes) !== value) throw invalid(`${field} is not in canonical base64url`);
  if (length >= 0 && bytes.length !== length) throw invalid(`${field} is ${bytes.length} bytes, not ${length}`);
  return bytes;
}

// A control character of Java's Character.isISOControl.
function hasControl(text) {
  return /[\u0000-\u001f\u007f-\u009f]/.test(text);
}

// Reads a URI a companion showed. Returns { address, provisioningKey, identityKey, name }; refuses
// anything else with INVALID_LINK, saying what is wrong.
export function parseLinkUri(uri) {
  if (typeof uri !== 'string' || !uri.startsWith(LINK_URI_PREFIX)) throw invalid(`it does not start with ${LINK_URI_PREFIX}`);
  const fields = new Map();
  for (const pair of uri.slice(LINK_URI_PREFIX.length).split('&')) {
    const equals = pair.indexOf('=');
    const key = equals < 0 ? pair : pair.slice(0, equals);
    if (equals < 0 || !FIELDS.includes(key)) throw invalid(`it has a field "${key}"; a link has v, a, k, i and n`);
    if (fields.has(key)) throw invalid(`it has "${key}" twice`);
    fields.set(key, pair.slice(equals + 1));
  }
  if (fields.size !== FIELDS.length) throw invalid('it lacks a field; a link has v, a, k, i and n');
  if (fields.get('v') !== '1') throw invalid(`it is of version ${fields.get('v')}; this client reads version 1`);
  const address = fields.get('a');
  decode(address, 'a (the address)', ADDRESS_LENGTH);
  const provisioningKey = decode(fields.get('k'), 'k (the provisioning key)', KEY_LENGTH);
  if ((provisioningKey[KEY_LENGTH - 1] & 0x80) !== 0) throw invalid('k is not an X25519 public key');
  const identityKey = decode(fields.get('i'), 'i (the identity)', IDENTITY_KEY_LENGTH);
  try {
    parseIdentityKey(identityKey);
  } catch {
    throw invalid('i is not an identity key');
  }
  let name;
  try {
    name = fromUtf8(decode(fields.get('n'), 'n (the name)', -1));
  } catch (error) {
    if (error instanceof ClientError) throw error;
    throw invalid('n is not UTF-8');
  }
  if (name === '' || name.length > MAX_NAME_LENGTH || hasControl(name)) {
    throw invalid(`n is not a device name (1 to ${MAX_NAME_LENGTH} printable characters)`);
  }
  return { address, provisioningKey, identityKey, name };
}
