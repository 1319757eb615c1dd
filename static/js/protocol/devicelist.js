// Device certificates and the account's signed device list (section 6).

import { Reader, VERSION, bytesEqual, concat, context, isZero, requireBytes, u32, u64, u8 } from './bytes.js';
import { ErrorCode, ProtocolError, fail } from './errors.js';
import { IDENTITY_KEY_LENGTH, parseIdentityKey } from './keys.js';
import { MAX_LIST_DEVICES } from './limits.js';
import { sign, verify } from './primitives.js';

const DEVICE_CERT_LENGTH = 237;
export const PRIMARY_DEVICE_ID = 1;

const CERT_BODY_LENGTH = 109;
const SIGNATURE_LENGTH = 64;
const LIST_HEADER_LENGTH = 50;
const CTX_CERT_ACCOUNT = context('device-cert account');
const CTX_CERT_DEVICE = context('device-cert device');
const CTX_LIST = context('device-list');

// Structure only. Returns { accountKey, deviceId, identity, issuedAt }.
export function parseDeviceCert(cert) {
  const reader = Reader.open(cert, 'DeviceCert');
  if (cert.length !== DEVICE_CERT_LENGTH) fail(ErrorCode.MALFORMED, `DeviceCert of ${cert.length} bytes`);
  const accountKey = reader.take(32);
  const deviceId = reader.u32();
  if (deviceId === 0) fail(ErrorCode.MALFORMED, 'device id 0');
  const identity = reader.take(IDENTITY_KEY_LENGTH);
  const issuedAt = reader.u64();
  return { accountKey, deviceId, identity, issuedAt };
}

function certBody(cert) {
  return cert.subarray(0, CERT_BODY_LENGTH);
}

function accountSignatureVerifies(cert, accountKey) {
  return verify(accountKey, concat(CTX_CERT_ACCOUNT, certBody(cert)),
    cert.subarray(CERT_BODY_LENGTH, CERT_BODY_LENGTH + SIGNATURE_LENGTH));
}

function deviceSignatureVerifies(cert, signKey) {
  return verify(signKey, concat(CTX_CERT_DEVICE, certBody(cert)), cert.subarray(CERT_BODY_LENGTH + SIGNATURE_LENGTH));
}

// The account's half of a certificate (section 6.1): the primary signs the body; the device
// signature is left zero until the device counter-signs.
export async function issueDeviceCert(account, deviceId, deviceIdentityKey, issuedAt) {
  parseIdentityKey(deviceIdentityKey);
  if (!Number.isInteger(deviceId) || deviceId < 1) fail(ErrorCode.MALFORMED, `device id ${deviceId}`);
  const body = concat(u8(VERSION), account.sign.publicKey, u32(deviceId), deviceIdentityKey, u64(issuedAt));
  const accountSignature = await sign(account.sign.privateKey, concat(CTX_CERT_ACCOUNT, body));
  return concat(body, accountSignature, new Uint8Array(SIGNATURE_LENGTH));
}

// The device's half, made by the device itself: it signs only a certificate for its own
// identity that the account named in it has signed.
export async function counterSignDeviceCert(device, cert) {
  const { accountKey, identity } = parseDeviceCert(cert);
  if (!bytesEqual(identity, device.publicKey)) {
    throw new ProtocolError(ErrorCode.UNTRUSTED_DEVICE, 'certificate for another identity');
  }
  if (!(await accountSignatureVerifies(cert, accountKey))) {
    throw new ProtocolError(ErrorCode.UNTRUSTED_DEVICE, 'certificate not signed by its account');
  }
  const deviceSignature = await sign(device.sign.privateKey, concat(CTX_CERT_DEVICE, certBody(cert)));
  return concat(accountHalf(cert), deviceSignature);
}

// Section 6.1: "valid for account K". Returns the parsed certificate; UNTRUSTED_DEVICE otherwise.
export async function verifyDeviceCert(cert, accountKey) {
  const parsed = parseDeviceCert(cert);
  const { signKey } = parseIdentityKey(parsed.identity);
  const isPrimaryKey = bytesEqual(signKey, accountKey);
  const roleFits = (parsed.deviceId === PRIMARY_DEVICE_ID) === isPrimaryKey;
  const [accountSigned, deviceSigned] = await Promise.all([
    accountSignatureVerifies(cert, accountKey),
    deviceSignatureVerifies(cert, signKey),
  ]);
  if (!bytesEqual(parsed.accountKey, accountKey) || !accountSigned || !deviceSigned || !roleFits) {
    throw new ProtocolError(ErrorCode.UNTRUSTED_DEVICE, `device ${parsed.deviceId}`);
  }
  return parsed;
}

// Signs a list of counter-signed certificates (in increasing device id order) and checks the
// result as any receiver would, so that the primary never publishes a list it would refuse.
export async function signDeviceList(account, { listVersion, timestamp, certs }) {
  if (!Array.isArray(certs) || certs.length < 1 || certs.length > MAX_LIST_DEVICES) {
    fail(ErrorCode.MALFORMED, `a device list holds 1..${MAX_LIST_DEVICES} devices`);
  }
  certs.forEach((cert) => requireBytes(cert, DEVICE_CERT_LENGTH, 'DeviceCert'));
  const body = concat(u8(VERSION), account.sign.publicKey, u64(listVersion), u64(timestamp), u8(certs.length),
    ...certs);
  const list = concat(body, await sign(account.sign.privateKey, concat(CTX_LIST, body)));
  await verifyDeviceList(list, account.sign.publicKey);
  return list;
}

// Step 1 of section 6.3: structure, all MALFORMED except a list that does not start with the
// primary (NO_PRIMARY), which is checked after every MALFORMED condition.
function parseDeviceListStructure(list) {
  const reader = Reader.open(list, 'DeviceList');
  if (list.length < LIST_HEADER_LENGTH) fail(ErrorCode.MALFORMED, 'DeviceList is truncated');
  const accountKey = reader.take(32);
  const listVersion = reader.u64();
  const timestamp = reader.u64();
  const count = reader.u8();
  if (list.length !== LIST_HEADER_LENGTH + DEVICE_CERT_LENGTH * count + SIGNATURE_LENGTH) {
    fail(ErrorCode.MALFORMED, `DeviceList of ${list.length} bytes for ${count} devices`);
  }
  if (count < 1 || count > MAX_LIST_DEVICES) fail(ErrorCode.MALFORMED, `DeviceList of ${count} devices`);
  if (listVersion < 1) fail(ErrorCode.MALFORMED, 'DeviceList version 0');
  const certs = [];
  for (let i = 0; i < count; i++) {
    const cert = reader.take(DEVICE_CERT_LENGTH);
    if (cert[0] !== VERSION) fail(ErrorCode.UNSUPPORTED_VERSION, `certificate ${i} has version ${cert[0]}`);
    certs.push(cert);
  }
  const devices = certs.map(parseDeviceCert);
  for (let i = 1; i < count; i++) {
    if (devices[i].deviceId <= devices[i - 1].deviceId) {
      fail(ErrorCode.MALFORMED, 'device ids are not strictly increasing');
    }
  }
  if (devices[0].deviceId !== PRIMARY_DEVICE_ID) {
    throw new ProtocolError(ErrorCode.NO_PRIMARY, `first device is ${devices[0].deviceId}`);
  }
  const signedLength = reader.offset;
  const signature = reader.take(SIGNATURE_LENGTH);
  return { accountKey, listVersion, timestamp, certs, devices, signedLength, signature };
}

// The certificates of a list, as they are in it (structure only: the list was verified when it
// was accepted). The primary starts each new version of its list from them.
export function deviceListCerts(list) {
  return parseDeviceListStructure(list).certs.map((cert) => cert.slice());
}

// The account's half of a certificate (its body and the account's signature): what a device that
// counter-signs it may not change.
export function accountHalf(cert) {
  return cert.subarray(0, CERT_BODY_LENGTH + SIGNATURE_LENGTH);
}

// Section 6.3, checks in order, stopping at the first failure. expectedAccountKey and
// lastAccepted (the bytes of the last list accepted for the account) are optional (null or
// undefined). Returns { accountKey, listVersion, timestamp, devices: [{ id, identity, issuedAt }] }.
export async function verifyDeviceList(list, expectedAccountKey, lastAccepted) {
  const parsed = parseDeviceListStructure(list);
  const { accountKey, listVersion, certs, signature } = parsed;

  // Without an expected key, the last accepted list names the account: a list of another
  // account must not pass merely because its version is higher.
  const expected = expectedAccountKey ?? (lastAccepted != null ? parseDeviceListStructure(lastAccepted).accountKey : null);
  if (expected != null && !bytesEqual(requireBytes(expected, 32, 'account key'), accountKey)) {
    throw new ProtocolError(ErrorCode.ACCOUNT_MISMATCH, 'device list of another account');
  }

  if (isZero(signature)) throw new ProtocolError(ErrorCode.UNSIGNED, 'device list is not signed');
  if (!(await verify(accountKey, concat(CTX_LIST, list.subarray(0, parsed.signedLength)), signature))) {
    throw new ProtocolError(ErrorCode.BAD_SIGNATURE, 'device list signature');
  }

  // Every failure here has the same code, so the certificates are checked concurrently.
  const results = await Promise.allSettled(certs.map((cert) => verifyDeviceCert(cert, accountKey)));
  const refused = results.find((r) => r.status === 'rejected');
  if (refused) throw refused.reason;

  if (lastAccepted != null) {
    const lastVersion = parseDeviceListStructure(lastAccepted).listVersion;
    if (listVersion < lastVersion) {
      throw new ProtocolError(ErrorCode.STALE_LIST, `device list version ${listVersion} is older than ${lastVersion}`);
    }
    if (listVersion === lastVersion && !bytesEqual(list, lastAccepted)) {
      throw new ProtocolError(ErrorCode.CONFLICTING_LIST, `two different device lists with version ${listVersion}`);
    }
  }

  return {
    accountKey,
    listVersion,
    timestamp: parsed.timestamp,
    devices: parsed.devices.map(({ deviceId, identity, issuedAt }) => ({ id: deviceId, identity, issuedAt })),
  };
}
