// The public API of the Quintet protocol (docs/protocol.md), for the browser and Node.

export { ErrorCode, ProtocolError } from './errors.js';
export { fromHex, toHex } from './bytes.js';
export { createIdentity, parseIdentityKey, secureSource, testSource } from './keys.js';
export {
  MemoryPreKeyStore, createOneTimePreKey, createSignedPreKey, encodeBundle, parseBundle, parseOneTimePreKey,
  parseSignedPreKey, verifySignedPreKey,
} from './prekeys.js';
export {
  CODE_PBKDF2_ITERATIONS, MAX_CONTENT, MAX_LIST_DEVICES, MAX_PLAINTEXT, MAX_PREVIOUS_CHAINS, MAX_SKIP,
  MAX_SKIPPED_KEYS, MAX_U64,
} from './limits.js';
export { Session, acceptSession, initiateSession } from './session.js';
export {
  PRIMARY_DEVICE_ID, accountHalf, counterSignDeviceCert, deviceListCerts, issueDeviceCert, parseDeviceCert,
  signDeviceList, verifyDeviceCert, verifyDeviceList,
} from './devicelist.js';
export { createProvisioningKey, openProvisioning, sealProvisioning } from './provisioning.js';
export {
  CODE_ALPHABET, CompanionCodeLink, PrimaryCodeLink, answerCodeHello, codeHelloIdentity, formatCode, normaliseCode,
  startCodeLink,
} from './codelink.js';
export { fingerprint, formatSafetyNumber, safetyNumber } from './safety.js';
export * as Delivery from './delivery.js';
export {
  ENVELOPE_DELIVERY_RECEIPT, ENVELOPE_PREKEY_MESSAGE, ENVELOPE_RATCHET_MESSAGE, decodeEnvelope, encodeEnvelope,
} from './envelope.js';
