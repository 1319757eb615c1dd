// Decrypts a received message (envelope kind 1 or 2) after checking that the sender's signed
// device list gives the sending device the identity the message is from (docs/client.md).
//
// Each session held with the sending device is tried, the active one first; the one that opens
// the message becomes the active one. A prekey message that none of them opens starts a new
// session (docs/protocol.md 4).

import { ENVELOPE_PREKEY_MESSAGE, ErrorCode, ProtocolError, acceptSession } from '../protocol/index.js';
import { bytesEqual } from '../protocol/bytes.js';
import { parsePreKeyMessage } from '../protocol/messages.js';

// Of two sessions' refusals, the one to report: a replay (only the session the message belongs to
// can say so) over any other, any other over "another session's" (the session a prekey message
// belongs to may be among the others), else the first (the active session's).
function moreTelling(first, next) {
  if (!first || next.code === ErrorCode.DUPLICATE ||
      (first.code === ErrorCode.WRONG_SESSION && next.code !== ErrorCode.WRONG_SESSION)) {
    return next;
  }
  return first;
}

export class EnvelopeOpener {
  #sessions;
  #directory;
  #preKeys;
  #source;
  #identity;

  // identity() returns this device's identity key pairs.
  constructor({ sessions, directory, preKeys, source, identity }) {
    this.#sessions = sessions;
    this.#directory = directory;
    this.#preKeys = preKeys;
    this.#source = source;
    this.#identity = identity;
  }

  // The plaintext; the sessions and the used one-time prekey are recorded in changes.
  async open(envelope, changes) {
    const { source: number, sourceDevice: deviceId, content } = envelope;
    const held = await this.#sessions.load(number, deviceId);
    const claimed = this.#claimedIdentity(envelope, held);
    await this.#directory.requireIdentity(number, deviceId, claimed);

    let refusal = null;
    for (const session of held) {
      if (!bytesEqual(session.remoteIdentity, claimed)) continue;
      try {
        const plaintext = await session.decrypt(content);
        this.#sessions.put(changes, number, deviceId, held, session);
        return plaintext;
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        refusal = moreTelling(refusal, error);
      }
    }
    const startsSession = envelope.kind === ENVELOPE_PREKEY_MESSAGE &&
      (refusal === null || refusal.code === ErrorCode.WRONG_SESSION);
    if (!startsSession) {
      throw refusal ?? new ProtocolError(ErrorCode.NO_SESSION, `no session with device ${deviceId} of ${number}`);
    }
    const accepted = await acceptSession(this.#source, this.#identity(), this.#preKeys.forStep(changes), content);
    this.#sessions.put(changes, number, deviceId, held, accepted.session);
    return accepted.plaintext;
  }

  // The sender's identity: named by a prekey message, else the one of the active session.
  #claimedIdentity(envelope, held) {
    if (envelope.kind === ENVELOPE_PREKEY_MESSAGE) return parsePreKeyMessage(envelope.content).senderIdentity;
    if (held.length === 0) {
      throw new ProtocolError(ErrorCode.NO_SESSION,
        `no session with device ${envelope.sourceDevice} of ${envelope.source}`);
    }
    return held[0].remoteIdentity;
  }
}
