// Registering a number makes this browser the account's primary (device 1), the twin of the Java
// client's Registration (docs/relay-api.md, "Registration: the primary"): a code through the
// relay's verification sender, then a new identity, prekeys, a self-signed certificate and the
// device list version 1.

import {
  PRIMARY_DEVICE_ID, counterSignDeviceCert, createIdentity, issueDeviceCert, signDeviceList,
} from '../protocol/index.js';
import { toBase64 } from './encoding.js';
import { PLATFORM, newRegistrationId } from './linking.js';

// POST /v1/registration/code. Resolves to { expiresInSeconds, sentBy } (sentBy: 'log' or
// 'webhook', where the code went, or null).
export async function requestRegistrationCode(api, number) {
  const answer = await api.request('POST', '/v1/registration/code', { body: { number } });
  return {
    expiresInSeconds: Number.isInteger(answer.expiresInSeconds) ? answer.expiresInSeconds : 0,
    sentBy: typeof answer.sentBy === 'string' ? answer.sentBy : null,
  };
}

// POST /v1/registration/verify with a new identity (one per attempt: the keys of an attempt the
// relay refused were never published). The prekeys' private halves are stored before the relay
// sees the public ones. Resolves to the device record the primary keeps from now on.
export async function registerPrimary({ api, preKeys, source, number, code, name }) {
  const identity = await createIdentity(source);
  const registrationId = newRegistrationId();
  const { signedPreKey, oneTimePreKeys } = await preKeys.createInitial(identity);
  const now = Date.now();
  const issued = await issueDeviceCert(identity, PRIMARY_DEVICE_ID, identity.publicKey, now);
  const cert = await counterSignDeviceCert(identity, issued);
  const deviceList = await signDeviceList(identity, { listVersion: 1, timestamp: now, certs: [cert] });
  await api.request('POST', '/v1/registration/verify', {
    body: {
      number,
      code,
      registrationId,
      identityKey: toBase64(identity.publicKey),
      signedPreKey,
      oneTimePreKeys,
      deviceList: toBase64(deviceList),
      name,
      platform: PLATFORM,
    },
  });
  return {
    status: 'linked',
    number,
    deviceId: PRIMARY_DEVICE_ID,
    accountKey: identity.sign.publicKey,
    name,
    identity,
    registrationId,
    linkedAt: now,
  };
}
