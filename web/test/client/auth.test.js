// The relay's login: the challenge signature of docs/relay-api.md, and the token's life.

import { bytesEqual, equal, fromHex, ok, rejects } from '../assert.js';
import { RelayAuth, authMessage, signChallenge } from '../../../static/js/client/auth.js';
import { RelayError } from '../../../static/js/client/errors.js';
import { createIdentity, secureSource } from '../../../static/js/protocol/index.js';
import { toBase64 } from '../../../static/js/client/encoding.js';

const ascii = (text) => new TextEncoder().encode(text);

// An api answering challenges and tokens, and calls from a script.
function fakeApi(script) {
  const requests = [];
  let tokens = 0;
  return {
    requests,
    async request(method, path, { body, token } = {}) {
      requests.push({ method, path, body, token });
      if (path === '/v1/auth/challenge') return { challenge: toBase64(Uint8Array.of(9, 9)), expiresInSeconds: 60 };
      if (path === '/v1/auth/token') return { token: `t${++tokens}`, expiresInSeconds: 900 };
      return script(path, token);
    },
  };
}

export const tests = [
  ['the signed bytes: label, 0x00, challenge, number, u32 device id', () => {
    const message = authMessage(Uint8Array.of(0xaa, 0xbb), '+8801711000001', 2);
    const expected = new Uint8Array([...ascii('Quintet v1 relay auth'), 0, 0xaa, 0xbb, ...ascii('+8801711000001'),
      ...fromHex('00000002')]);
    bytesEqual(message, expected);
  }],

  ['the signature verifies with the identity\'s signing key', async () => {
    const identity = await createIdentity(secureSource());
    const signature = await signChallenge(identity.sign.privateKey, Uint8Array.of(1, 2), '+8801711000001', 7);
    const key = await crypto.subtle.importKey('raw', identity.sign.publicKey, { name: 'Ed25519' }, false, ['verify']);
    ok(await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, authMessage(Uint8Array.of(1, 2), '+8801711000001', 7)));
  }],

  ['a token is reused, renewed when the relay says TOKEN_EXPIRED, and a gone device is reported', async () => {
    const identity = await createIdentity(secureSource());
    let expireNext = false;
    let gone = false;
    const api = fakeApi((path, token) => {
      if (gone) throw new RelayError(401, 'DEVICE_GONE', 'gone');
      if (expireNext && token === 't1') throw new RelayError(401, 'TOKEN_EXPIRED', 'expired');
      return { ok: token };
    });
    let goneCalls = 0;
    const auth = new RelayAuth(api, () => ({ identity, number: '+8801711000001', deviceId: 2 }), () => {
      goneCalls++;
    });
    equal((await auth.call('GET', '/x')).ok, 't1');
    equal((await auth.call('GET', '/x')).ok, 't1');
    const login = api.requests.find((r) => r.path === '/v1/auth/token').body;
    equal(login.number, '+8801711000001');
    equal(login.deviceId, 2);
    equal(login.challenge, toBase64(Uint8Array.of(9, 9)));
    expireNext = true;
    equal((await auth.call('GET', '/x')).ok, 't2');
    gone = true;
    await rejects(auth.call('GET', '/x'), 'LOGGED_OUT');
    equal(goneCalls, 1);
  }],
];
