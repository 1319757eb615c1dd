// The steps of linking this browser as a companion (docs/linking.md) that do not depend on the
// channel (QR or code): checking and counter-signing the certificate the primary sends, and
// registering the new device with the relay. (The QR's URI is link-uri.js; the primary's side,
// primary-linking.js.)

import {
  ErrorCode, PRIMARY_DEVICE_ID, ProtocolError, counterSignDeviceCert, parseDeviceCert, verifyDeviceCert,
} from '../protocol/index.js';
import { bytesEqual } from '../protocol/bytes.js';
import { isE164 } from '../protocol/safety.js';
import { fromBase64, fromUtf8, toBase64 } from './encoding.js';

// What the relay lists as this device's platform.
export const PLATFORM = 'web';

function refused(detail) {
  return new ProtocolError(ErrorCode.UNTRUSTED_DEVICE, detail);
}

function payloadBytes(payload, field) {
  try {
    return fromBase64(payload[field], field);
  } catch {
    throw new ProtocolError(ErrorCode.MALFORMED, `the provisioning payload's "${field}" is not base64`);
  }
}

// The provisioning payload (the QR's ProvisionMessage plaintext, or the code reply's):
// {"v":1,"number","accountKey","deviceId","cert"}. Checks that the certificate is the account's,
// for this device's identity, for a companion's device id, and counter-signs it. expectedNumber
// (code linking) is the number the user typed. Returns { number, accountKey, deviceId, cert }
// with cert counter-signed.
export async function acceptProvisioning(plaintext, identity, expectedNumber) {
  let payload;
  try {
    payload = JSON.parse(fromUtf8(plaintext));
  } catch {
    throw new ProtocolError(ErrorCode.MALFORMED, 'the provisioning payload is not UTF-8 JSON');
  }
  if (payload === null || typeof payload !== 'object') {
    throw new ProtocolError(ErrorCode.MALFORMED, 'the provisioning payload is not an object');
  }
  if (payload.v !== 1) throw new ProtocolError(ErrorCode.UNSUPPORTED_VERSION, `provisioning payload version ${payload.v}`);
  const { number, deviceId } = payload;
  if (!isE164(number) || !Number.isInteger(deviceId)) {
    throw new ProtocolError(ErrorCode.MALFORMED, 'the provisioning payload lacks its number or device id');
  }
  if (expectedNumber !== undefined && number !== expectedNumber) {
    throw refused(`the primary of ${number} answered, not the one of ${expectedNumber}`);
  }
  const accountKey = payloadBytes(payload, 'accountKey');
  const issued = payloadBytes(payload, 'cert');
  const cert = parseDeviceCert(issued);
  if (accountKey.length !== 32 || !bytesEqual(cert.accountKey, accountKey)) {
    throw refused('the certificate is not of the account the payload names');
  }
  if (cert.deviceId !== deviceId || deviceId === PRIMARY_DEVICE_ID) {
    throw refused(`the certificate is for device ${cert.deviceId}, not a companion's device ${deviceId}`);
  }
  // Refuses a certificate for another identity, or one the account did not sign.
  const counterSigned = await counterSignDeviceCert(identity, issued);
  await verifyDeviceCert(counterSigned, accountKey);
  return { number, accountKey, deviceId, cert: counterSigned };
}

// POST /v1/devices/link with this device's first prekeys (stored before they are uploaded).
// Returns the device record the companion keeps from now on.
export async function registerCompanion({ api, preKeys, identity, registrationId, accepted, name }) {
  const { signedPreKey, oneTimePreKeys } = await preKeys.createInitial(identity);
  await api.request('POST', '/v1/devices/link', {
    body: {
      number: accepted.number,
      cert: toBase64(accepted.cert),
      registrationId,
      signedPreKey,
      oneTimePreKeys,
      name,
      platform: PLATFORM,
    },
  });
  return {
    status: 'linked',
    number: accepted.number,
    deviceId: accepted.deviceId,
    accountKey: accepted.accountKey,
    name,
    identity,
    registrationId,
    linkedAt: Date.now(),
  };
}

// A registration id: random 1..2^31-1, named with every envelope sent to this device.
export function newRegistrationId() {
  const value = new Uint32Array(1);
  do crypto.getRandomValues(value); while ((value[0] & 0x7fffffff) === 0);
  return value[0] & 0x7fffffff;
}
