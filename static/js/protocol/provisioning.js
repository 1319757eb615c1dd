// QR provisioning (section 7.1): the primary seals the provisioning payload to the key the
// companion showed in its QR code.

import { Reader, VERSION, ascii, concat, requireBytes, u8 } from './bytes.js';
import { MAX_CONTENT } from './limits.js';
import { requirePlaintextLength } from './messages.js';
import { ErrorCode, fail } from './errors.js';
import { GCM_TAG_LENGTH, gcmOpen, gcmSeal, hkdf, x25519 } from './primitives.js';

const TYPE_PROVISION = 0x10;

const ZERO_SALT = new Uint8Array(32);
const INFO_PROVISIONING = ascii('Quintet v1 provisioning');
const HEADER_LENGTH = 34;

async function provisioningKeys(shared) {
  const out = await hkdf(ZERO_SALT, shared, INFO_PROVISIONING, 44);
  return { key: out.slice(0, 32), nonce: out.slice(32, 44) };
}

// The companion's side: draws the provisioning key Q, whose public half goes into the QR code.
export async function createProvisioningKey(source) {
  return source.newX25519();
}

// The primary's side: draws E and seals the payload to the companion's Q.pub.
export async function sealProvisioning(source, provisioningKey, payload) {
  requireBytes(provisioningKey, 32, 'provisioning key');
  requireBytes(payload, undefined, 'payload');
  requirePlaintextLength(payload.length);
  const ephemeral = await source.newX25519();
  const { key, nonce } = await provisioningKeys(await x25519(ephemeral.privateKey, provisioningKey));
  const header = concat(u8(VERSION), u8(TYPE_PROVISION), ephemeral.publicKey);
  return concat(header, await gcmSeal(key, nonce, payload, concat(header, provisioningKey)));
}

// The companion's side: opens a ProvisionMessage with Q (the key pair createProvisioningKey made).
export async function openProvisioning(provisioningKeyPair, message) {
  const reader = Reader.open(message, 'ProvisionMessage', TYPE_PROVISION, MAX_CONTENT);
  if (message.length < HEADER_LENGTH + GCM_TAG_LENGTH) fail(ErrorCode.MALFORMED, 'ProvisionMessage is truncated');
  const ephemeral = reader.take(32);
  const { key, nonce } = await provisioningKeys(await x25519(provisioningKeyPair.privateKey, ephemeral));
  return gcmOpen(key, nonce, reader.rest(), concat(message.subarray(0, HEADER_LENGTH), provisioningKeyPair.publicKey));
}
