// The relay's HTTP API (docs/relay-api.md): JSON in and out, every refusal a RelayError with the
// relay's status and error code, every failure to reach it a ClientError UNREACHABLE.

import { ClientError, ClientErrorCode, RelayError } from './errors.js';

export class RelayApi {
  #base;
  #fetch;

  // fetchImpl defaults to the platform's fetch; tests pass a fake relay's.
  constructor(relayUrl, fetchImpl = globalThis.fetch.bind(globalThis)) {
    this.#base = normaliseRelayUrl(relayUrl);
    this.#fetch = fetchImpl;
  }

  // The absolute URL of a path of the API (an attachment's upload endpoint).
  url(path) {
    return this.#base + path;
  }

  // A download of bytes (an attachment's blob): the Response as it comes, its body a stream; a
  // refusal is a RelayError as JSON calls have it.
  async download(path, { token, from = 0 } = {}) {
    const headers = { authorization: `Bearer ${token}` };
    if (from > 0) headers.range = `bytes=${from}-`;
    let response;
    try {
      response = await this.#fetch(this.#base + path, { headers, cache: 'no-store' });
    } catch (cause) {
      throw new ClientError(ClientErrorCode.UNREACHABLE, `the relay at ${this.#base} cannot be reached`, { cause });
    }
    if (!response.ok) {
      let answer = null;
      try {
        answer = await response.json();
      } catch {
        // Not JSON: the status says it.
      }
      if (response.status >= 500) throw new ClientError(ClientErrorCode.UNREACHABLE, `the relay answered HTTP ${response.status}`);
      throw new RelayError(response.status, answer?.error ?? `HTTP_${response.status}`, answer?.message ?? `HTTP ${response.status}`);
    }
    return response;
  }

  // ws:// for an http relay, wss:// for https: the WebSocket goes to the same origin as the page.
  webSocketUrl(path) {
    return this.#base.replace(/^http/, 'ws') + path;
  }

  async request(method, path, { body, token } = {}) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let response;
    try {
      response = await this.#fetch(this.#base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (cause) {
      throw new ClientError(ClientErrorCode.UNREACHABLE, `the relay at ${this.#base} cannot be reached`, { cause });
    }
    let answer;
    try {
      answer = await response.json();
    } catch {
      answer = null;
    }
    if (!response.ok) {
      // A proxy in front of the relay (or a relay that is starting) answers without the JSON body.
      if (!isObject(answer) || typeof answer.error !== 'string') {
        if (response.status >= 500) {
          throw new ClientError(ClientErrorCode.UNREACHABLE, `the relay answered HTTP ${response.status}`);
        }
        throw new RelayError(response.status, `HTTP_${response.status}`, `the relay answered HTTP ${response.status}`);
      }
      const { error, message, ...details } = answer;
      throw new RelayError(response.status, error, typeof message === 'string' ? message : error, details);
    }
    if (!isObject(answer)) throw new ClientError(ClientErrorCode.BAD_ANSWER, `${method} ${path}: the answer is not JSON`);
    return answer;
  }
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// An http(s) origin, possibly with a path prefix, without a trailing slash.
function normaliseRelayUrl(relayUrl) {
  let url;
  try {
    url = new URL(relayUrl);
  } catch {
    throw new ClientError(ClientErrorCode.INVALID_ARGUMENT, `not a URL: ${relayUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientError(ClientErrorCode.INVALID_ARGUMENT, `the relay URL must be http or https: ${relayUrl}`);
  }
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

// A number as one path segment ('+' would be read as a space by some servers).
export function numberSegment(number) {
  return encodeURIComponent(number);
}
