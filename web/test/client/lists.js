// Signed device lists and relay answers about an account, built with the protocol module, for
// the tests of the checks in the send and receive paths.

import {
  counterSignDeviceCert, createIdentity, createOneTimePreKey, createSignedPreKey, encodeBundle, issueDeviceCert,
  secureSource, signDeviceList,
} from '../../../static/js/protocol/index.js';
import { toBase64 } from '../../../static/js/client/encoding.js';

const source = secureSource();

// An account: a primary and `companions` more devices, and signed lists of it.
export async function testAccount(number, companions = 0) {
  const primary = await createIdentity(source);
  const devices = [{ id: 1, identity: primary }];
  for (let i = 0; i < companions; i++) devices.push({ id: 2 + i, identity: await createIdentity(source) });
  const certs = [];
  for (const { id, identity } of devices) {
    certs.push(await counterSignDeviceCert(identity, await issueDeviceCert(primary, id, identity.publicKey, 1000)));
  }
  return {
    number,
    primary,
    devices,
    accountKey: primary.sign.publicKey,
    // The list of the devices with the given ids (all by default), at a version.
    list: (listVersion = 1, ids = devices.map((d) => d.id)) => signDeviceList(primary, {
      listVersion, timestamp: 2000, certs: certs.filter((_, i) => ids.includes(devices[i].id)),
    }),
  };
}

// GET /v1/accounts/{number}, as the relay answers it (devices: [{ id, identity? , registrationId? }]).
export async function accountAnswer(account, { list, devices } = {}) {
  const bytes = list ?? (await account.list());
  return {
    number: account.number,
    accountKey: toBase64(account.accountKey),
    deviceList: toBase64(bytes),
    deviceListVersion: 1,
    devices: (devices ?? account.devices).map((d) => ({
      deviceId: d.id,
      registrationId: d.registrationId ?? 100 + d.id,
      identityKey: toBase64((d.identity ?? account.devices.find((x) => x.id === d.id).identity).publicKey),
    })),
  };
}

// GET /v1/keys/{number}/{deviceId} for one device; identity overrides the bundle's identity.
export async function bundleAnswer(account, deviceId, { list, identity } = {}) {
  const owner = account.devices.find((d) => d.id === deviceId).identity;
  const signed = await createSignedPreKey(source, owner, 1);
  const oneTime = await createOneTimePreKey(source, 1);
  const bundle = encodeBundle((identity ?? owner).publicKey, signed.record, oneTime.record);
  return {
    accountKey: toBase64(account.accountKey),
    deviceList: toBase64(list ?? (await account.list())),
    deviceListVersion: 1,
    devices: [{ deviceId, registrationId: 100 + deviceId, bundle: toBase64(bundle) }],
  };
}
