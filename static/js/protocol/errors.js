// The refusal codes of docs/protocol.md, section 1. Every refusal the protocol code makes is a
// ProtocolError carrying one of them, so callers (and the cross-implementation test vectors) can
// tell refusals apart without parsing messages.

export const ErrorCode = Object.freeze({
  MALFORMED: 'MALFORMED',
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  TOO_LARGE: 'TOO_LARGE',
  INVALID_KEY: 'INVALID_KEY',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  UNSIGNED: 'UNSIGNED',
  ACCOUNT_MISMATCH: 'ACCOUNT_MISMATCH',
  UNTRUSTED_DEVICE: 'UNTRUSTED_DEVICE',
  NO_PRIMARY: 'NO_PRIMARY',
  STALE_LIST: 'STALE_LIST',
  CONFLICTING_LIST: 'CONFLICTING_LIST',
  UNKNOWN_PREKEY: 'UNKNOWN_PREKEY',
  WRONG_SESSION: 'WRONG_SESSION',
  NO_SESSION: 'NO_SESSION',
  AUTH_FAILED: 'AUTH_FAILED',
  DUPLICATE: 'DUPLICATE',
  TOO_MANY_SKIPPED: 'TOO_MANY_SKIPPED',
  INVALID_CODE: 'INVALID_CODE',
});

export class ProtocolError extends Error {
  constructor(code, message = code, options) {
    if (!Object.hasOwn(ErrorCode, code)) throw new TypeError(`unknown protocol error code: ${code}`);
    super(message, options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

export function fail(code, message) {
  throw new ProtocolError(code, message);
}
