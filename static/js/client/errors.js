// Errors the client core reports. Every one has a machine-readable `code`: the relay's error code
// for a refusal (e.g. 'DEVICE_MISMATCH'), the protocol's code for an end-to-end check (e.g.
// 'ACCOUNT_MISMATCH', a ProtocolError), or one of the client's own below.

export const ClientErrorCode = Object.freeze({
  UNREACHABLE: 'UNREACHABLE', // the relay could not be reached (network, DNS, relay down)
  BAD_ANSWER: 'BAD_ANSWER', // the relay answered something that is not what its API promises
  INVALID_ARGUMENT: 'INVALID_ARGUMENT', // a caller passed a value the API does not take
  INVALID_NUMBER: 'INVALID_NUMBER', // a phone number that is not in E.164 form
  INVALID_LINK: 'INVALID_LINK', // a text that is not a companion's link (quintet://link?...)
  WRONG_STATE: 'WRONG_STATE', // the call does not fit the device's state (e.g. send while unlinked)
  LOGGED_OUT: 'LOGGED_OUT', // the relay no longer knows this device
  REPLACED: 'REPLACED', // another tab of this device holds the delivery connection
  INSECURE_CONTEXT: 'INSECURE_CONTEXT', // no WebCrypto here: the page is not in a secure context
  // Linking a companion from this primary:
  INVALID_CODE: 'INVALID_CODE', // the typed code is not 8 symbols of the code alphabet
  TOO_MANY_DEVICES: 'TOO_MANY_DEVICES', // the account has as many companions as the relay allows
  CODE_EXPIRED: 'CODE_EXPIRED', // the QR code scanned changed or expired on the companion
  NO_REQUEST: 'NO_REQUEST', // no companion asked to link by number
  WRONG_CODE: 'WRONG_CODE', // the companion shows another code (attemptsLeft says how many tries remain)
  LINK_ENDED: 'LINK_ENDED', // the companion's request ended (it gave up, or ran out of attempts)
  TIMEOUT: 'TIMEOUT', // the companion did not finish its side in time
  // Changing a message:
  UNKNOWN_MESSAGE: 'UNKNOWN_MESSAGE', // no such message in the conversation (or it was deleted)
  NOT_AUTHOR: 'NOT_AUTHOR', // only the account that wrote a message edits it or deletes it for everyone
  EDIT_WINDOW_PASSED: 'EDIT_WINDOW_PASSED', // the message is too old to edit
  DELETE_WINDOW_PASSED: 'DELETE_WINDOW_PASSED', // the message is too old to delete for everyone
});

export class ClientError extends Error {
  constructor(code, message = code, details = {}) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
    Object.assign(this, details);
  }
}

// A refusal by the relay: its HTTP status and error code, with the answer's other fields
// (e.g. `mismatches`, `attemptsLeft`, `retryAfterSeconds`) as `details`.
export class RelayError extends ClientError {
  constructor(status, code, message, details = {}) {
    super(code, message);
    this.name = 'RelayError';
    this.status = status;
    this.details = details;
  }
}
