// The accounts this device talks to, as their signed device lists say (docs/protocol.md 6.3,
// docs/client.md "What the client checks"): every list is verified with the account key this
// device knows and the last list it accepted, so a relay can neither slip a device into an
// account nor roll it back to a list that still holds a removed one; and every device or bundle
// the relay names must carry exactly the identity the list gives that device id.
//
// The first contact with a number trusts the account key the relay presents (as Signal does); a
// companion knows its own account's key from the certificate the primary gave it when linking.

import { ErrorCode, ProtocolError, parseBundle, parseIdentityKey, verifyDeviceList } from '../protocol/index.js';
import { bytesEqual } from '../protocol/bytes.js';
import { ClientError, ClientErrorCode } from './errors.js';
import { fromBase64 } from './encoding.js';
import { numberSegment } from './api.js';

function badAnswer(detail) {
  return new ClientError(ClientErrorCode.BAD_ANSWER, detail);
}

function bytesField(object, field, number) {
  if (typeof object?.[field] !== 'string') throw badAnswer(`the relay's answer about ${number} lacks "${field}"`);
  return fromBase64(object[field], `"${field}" in the relay's answer about ${number}`);
}

function deviceEntries(answer, number) {
  if (!Array.isArray(answer.devices)) throw badAnswer(`the relay's answer about ${number} lacks "devices"`);
  return answer.devices.map((device) => {
    const { deviceId, registrationId } = device ?? {};
    if (!Number.isInteger(deviceId) || deviceId < 1 || deviceId > 0xffffffff ||
        !Number.isInteger(registrationId) || registrationId < 1 || registrationId > 0x7fffffff) {
      throw badAnswer(`a device entry for ${number} has no valid deviceId or registrationId`);
    }
    return device;
  });
}

function requireListed(number, devices, deviceId, identity) {
  if (!devices.some((d) => d.id === deviceId && bytesEqual(d.identity, identity))) {
    throw new ProtocolError(ErrorCode.UNTRUSTED_DEVICE, `the relay named device ${deviceId} of ${number} with an ` +
      "identity that the account's signed device list does not give it");
  }
}

// Section 6.3 on the answer's list, and the answer's accountKey must be the one that signed it.
// known is { accountKey, deviceList } of what this device accepted before (either may be absent).
async function verifyListAnswer(number, answer, known = {}) {
  const deviceList = bytesField(answer, 'deviceList', number);
  let list;
  try {
    list = await verifyDeviceList(deviceList, known.accountKey ?? null, known.deviceList ?? null);
  } catch (error) {
    if (error instanceof ProtocolError) {
      throw new ProtocolError(error.code, `the device list of ${number} was refused: ${error.message}`);
    }
    throw error;
  }
  if (answer.accountKey !== undefined && !bytesEqual(bytesField(answer, 'accountKey', number), list.accountKey)) {
    throw new ProtocolError(ErrorCode.ACCOUNT_MISMATCH,
      `the relay's account key for ${number} is not the one that signed its device list`);
  }
  return {
    number,
    accountKey: list.accountKey,
    deviceList,
    listVersion: list.listVersion,
    devices: list.devices.map(({ id, identity }) => ({ id, identity })),
  };
}

// GET /v1/accounts/{number}: the account as this device now trusts it, with the registration ids
// of the registered devices the list vouches for (the devices a message goes to).
export async function verifyAccountAnswer(number, answer, known) {
  const account = await verifyListAnswer(number, answer, known);
  const registrationIds = {};
  for (const device of deviceEntries(answer, number)) {
    requireListed(number, account.devices, device.deviceId, bytesField(device, 'identityKey', number));
    registrationIds[device.deviceId] = device.registrationId;
  }
  return { ...account, registrationIds };
}

// GET /v1/keys/{number}/{deviceId}: the one bundle asked for, checked against the list the answer
// carries (which must be the one accepted or a newer one).
export async function verifyBundleAnswer(number, deviceId, answer, known) {
  const account = await verifyListAnswer(number, answer, known);
  const entry = deviceEntries(answer, number).find((d) => d.deviceId === deviceId);
  if (!entry) {
    throw new ProtocolError(ErrorCode.UNTRUSTED_DEVICE, `the relay gave no bundle for device ${deviceId} of ${number}`);
  }
  const bundle = bytesField(entry, 'bundle', number);
  requireListed(number, account.devices, deviceId, parseBundle(bundle).identityKey);
  return { account, registrationId: entry.registrationId, bundle };
}

// The devices of an account a message goes to: registered (the relay gave a registration id) and
// in the signed list. Returns [{ id, identity, registrationId }] in id order.
export function targetDevices(account) {
  return account.devices
    .filter((d) => account.registrationIds[d.id] !== undefined)
    .map((d) => ({ ...d, registrationId: account.registrationIds[d.id] }));
}

function listedIdentity(account, deviceId) {
  return account.devices.find((d) => d.id === deviceId)?.identity ?? null;
}

export class AccountDirectory {
  #storage;
  #auth;
  #self;

  // self() returns { number, accountKey } of this device's own account.
  constructor(storage, auth, self) {
    this.#storage = storage;
    this.#auth = auth;
    this.#self = self;
  }

  // What this device accepted before: the stored account, or for its own account the key its
  // certificate named.
  async #known(number) {
    const stored = await this.#storage.get('accounts', number);
    if (stored) return stored;
    const self = this.#self();
    return number === self.number ? { accountKey: self.accountKey } : {};
  }

  // The account as last accepted, fetched when this device has never seen it.
  async known(number) {
    return (await this.#storage.get('accounts', number)) ?? this.refresh(number);
  }

  async refresh(number) {
    return (await this.fetch(number)).account;
  }

  // refresh, keeping the relay's whole answer for what the signed list does not hold (device
  // names, times).
  async fetch(number) {
    const answer = await this.#auth.call('GET', `/v1/accounts/${numberSegment(number)}`);
    const account = await verifyAccountAnswer(number, answer, await this.#known(number));
    await this.#storage.put('accounts', number, account);
    return { account, answer };
  }

  // One device's bundle, checked against the account's list; the newer list it came with is kept
  // (without the devices it no longer holds).
  async bundle(number, deviceId) {
    const answer = await this.#auth.call('GET', `/v1/keys/${numberSegment(number)}/${deviceId}`);
    const known = await this.#known(number);
    const { account, registrationId, bundle } = await verifyBundleAnswer(number, deviceId, answer, known);
    const registrationIds = {};
    for (const { id } of account.devices) {
      const previous = id === deviceId ? registrationId : known.registrationIds?.[id];
      if (previous !== undefined) registrationIds[id] = previous;
    }
    await this.#storage.put('accounts', number, { ...account, registrationIds });
    return { registrationId, bundle };
  }

  // Checks that the account's list gives this identity to the device, fetching the list once when
  // it does not (a device linked since, or a list this device has not seen).
  async requireIdentity(number, deviceId, identity) {
    parseIdentityKey(identity);
    const known = await this.known(number);
    if (bytesEqual(listedIdentity(known, deviceId) ?? new Uint8Array(0), identity)) return;
    const fresh = await this.refresh(number);
    if (!bytesEqual(listedIdentity(fresh, deviceId) ?? new Uint8Array(0), identity)) {
      throw new ProtocolError(ErrorCode.UNTRUSTED_DEVICE,
        `device ${deviceId} of ${number} has an identity that the account's signed device list does not give it`);
    }
  }
}
