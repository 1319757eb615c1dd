// Authenticated calls to the relay (docs/relay-api.md, "Authentication"): the device proves it
// holds its identity key by signing a challenge, and gets a bearer token that it keeps until
// shortly before it expires.

import { concat, context, u32 } from '../protocol/bytes.js';
import { ClientError, ClientErrorCode, RelayError } from './errors.js';
import { fromBase64, toBase64, utf8 } from './encoding.js';

// Ask for a new token this long before the relay's expiry, so that a request never races it.
const EXPIRY_MARGIN_MS = 60_000;
// The longest a rate limit is waited out (as the Java client's RelayApi.LONGEST_WAIT): beyond it,
// the refusal reaches the caller.
const LONGEST_WAIT_SECONDS = 30;

// ASCII("Quintet v1 relay auth") || 0x00 || challenge || ASCII(number) || u32(deviceId)
export function authMessage(challenge, number, deviceId) {
  return concat(context('relay auth'), challenge, utf8(number), u32(deviceId));
}

export async function signChallenge(signPrivateKey, challenge, number, deviceId) {
  const message = authMessage(challenge, number, deviceId);
  return new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, signPrivateKey, message));
}

// A refusal that means the relay no longer has this device: it was removed (by the primary, by
// the relay's inactivity rules) or its number was registered on a new primary.
function isDeviceGone(error) {
  return error instanceof RelayError && error.status === 401 &&
    (error.code === 'DEVICE_GONE' || error.code === 'UNKNOWN_DEVICE');
}

export class RelayAuth {
  #api;
  #credentials;
  #onGone;
  #token = null; // a promise of the token
  #expiresAt = 0;

  // credentials() returns { identity, number, deviceId } of the linked device; onGone() is called
  // when the relay no longer knows it.
  constructor(api, credentials, onGone) {
    this.#api = api;
    this.#credentials = credentials;
    this.#onGone = onGone;
  }

  async token() {
    if (this.#token === null || Date.now() >= this.#expiresAt) {
      const requested = this.#requestToken();
      this.#token = requested;
      requested.catch(() => {
        if (this.#token === requested) this.#token = null;
      });
    }
    try {
      return await this.#token;
    } catch (error) {
      throw await this.#whenGone(error);
    }
  }

  invalidate() {
    this.#token = null;
  }

  async call(method, path, body) {
    try {
      try {
        return await this.#api.request(method, path, { body, token: await this.token() });
      } catch (error) {
        if (!(error instanceof RelayError && error.status === 401 && error.code === 'TOKEN_EXPIRED')) throw error;
        this.invalidate();
        return await this.#api.request(method, path, { body, token: await this.token() });
      }
    } catch (error) {
      throw await this.#whenGone(error);
    }
  }

  // call, but a 429 RATE_LIMITED that asks to wait at most LONGEST_WAIT_SECONDS is waited out and
  // the request made again, `tries` times in all: for work that sends many requests in a row (the
  // history for a new companion), which a limit should slow down, not break.
  async callWaitingOutLimits(method, path, body, tries) {
    for (let left = tries; ; left--) {
      try {
        return await this.call(method, path, body);
      } catch (error) {
        const wait = error instanceof RelayError && error.status === 429 && error.code === 'RATE_LIMITED'
          ? error.details.retryAfterSeconds : undefined;
        if (left <= 1 || !Number.isFinite(wait) || wait > LONGEST_WAIT_SECONDS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 1) * 1000));
      }
    }
  }

  async #requestToken() {
    const { identity, number, deviceId } = this.#credentials();
    const { challenge } = await this.#api.request('GET', '/v1/auth/challenge');
    const signature = await signChallenge(identity.sign.privateKey, fromBase64(challenge, 'challenge'), number,
      deviceId);
    const requestedAt = Date.now();
    const issued = await this.#api.request('POST', '/v1/auth/token',
      { body: { number, deviceId, challenge, signature: toBase64(signature) } });
    if (typeof issued.token !== 'string' || !Number.isInteger(issued.expiresInSeconds)) {
      throw new ClientError(ClientErrorCode.BAD_ANSWER, 'the relay issued no token');
    }
    const lifetime = issued.expiresInSeconds * 1000;
    this.#expiresAt = requestedAt + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 2);
    return issued.token;
  }

  async #whenGone(error) {
    if (!isDeviceGone(error)) return error;
    this.invalidate();
    await this.#onGone();
    return new ClientError(ClientErrorCode.LOGGED_OUT, 'the relay no longer knows this device');
  }
}
