// The environment the protocol code relies on: ctx, and WebCrypto's X25519, Ed25519 and HKDF,
// checked against the RFC 7748, RFC 8032 and RFC 5869 test vectors.
import { bytesEqual, equal, fromHex, ok, rejects } from '../assert.js';
import { collectCases } from '../harness.js';

const subtle = globalThis.crypto?.subtle;
const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

// WebCrypto cannot import a raw X25519/Ed25519 private key; JWK can.
function importPrivate(alg, d, x, usages) {
  return subtle.importKey('jwk', { kty: 'OKP', crv: alg, d: b64url(d), x: b64url(x) }, { name: alg }, false, usages);
}

export const tests = [
  ['ctx.env names the environment', async (ctx) => {
    ok(ctx.env === 'node' || ctx.env === 'chromium', `unexpected ctx.env ${ctx.env}`);
    equal(typeof globalThis.process?.versions?.node === 'string', ctx.env === 'node', 'ctx.env matches the runtime');
    if (ctx.env === 'chromium') ok(globalThis.isSecureContext, 'page must be a secure context for crypto.subtle');
    ok(subtle, 'crypto.subtle is available');
  }],

  ['ctx.vector rejects unknown and unsafe names', async (ctx) => {
    await rejects(ctx.vector('no-such-vector-file'), 'VECTOR_NOT_FOUND');
    await rejects(ctx.vector('../../package'), 'VECTOR_BAD_NAME');
    await rejects(ctx.vector('/etc/passwd'), 'VECTOR_BAD_NAME');
  }],

  ['X25519 generateKey and deriveBits agree on both sides', async () => {
    const alice = await subtle.generateKey({ name: 'X25519' }, true, ['deriveBits']);
    const bob = await subtle.generateKey({ name: 'X25519' }, true, ['deriveBits']);
    const alicePub = new Uint8Array(await subtle.exportKey('raw', alice.publicKey));
    equal(alicePub.length, 32, 'raw X25519 public key length');
    const ab = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: bob.publicKey }, alice.privateKey, 256));
    const ba = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: alice.publicKey }, bob.privateKey, 256));
    bytesEqual(ab, ba);
  }],

  ['X25519 matches RFC 7748 section 6.1', async () => {
    const alicePriv = await importPrivate('X25519',
      fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
      fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'), ['deriveBits']);
    const bobPub = await subtle.importKey('raw',
      fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'), { name: 'X25519' }, true, []);
    const shared = await subtle.deriveBits({ name: 'X25519', public: bobPub }, alicePriv, 256);
    bytesEqual(new Uint8Array(shared), fromHex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'));
  }],

  ['X25519 refuses an all-zero shared secret (low-order public key)', async () => {
    const priv = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])).privateKey;
    const zero = await subtle.importKey('raw', new Uint8Array(32), { name: 'X25519' }, true, []);
    // WebCrypto errors are DOMExceptions with a name but no code we can rely on; messages differ too.
    let name = 'no error';
    try {
      await subtle.deriveBits({ name: 'X25519', public: zero }, priv, 256);
    } catch (err) {
      name = err.name;
    }
    equal(name, 'OperationError');
  }],

  ['Ed25519 sign and verify, and RFC 8032 test 1', async () => {
    const pair = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    const msg = new TextEncoder().encode('quintet');
    const sig = new Uint8Array(await subtle.sign({ name: 'Ed25519' }, pair.privateKey, msg));
    equal(sig.length, 64, 'signature length');
    ok(await subtle.verify({ name: 'Ed25519' }, pair.publicKey, sig, msg), 'own signature verifies');
    sig[0] ^= 1;
    equal(await subtle.verify({ name: 'Ed25519' }, pair.publicKey, sig, msg), false, 'tampered signature');

    const priv = await importPrivate('Ed25519',
      fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
      fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'), ['sign']);
    bytesEqual(new Uint8Array(await subtle.sign({ name: 'Ed25519' }, priv, new Uint8Array(0))), fromHex(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'));
  }],

  ['HKDF-SHA-256 matches RFC 5869 test case 1', async () => {
    const ikm = await subtle.importKey('raw', new Uint8Array(22).fill(0x0b), 'HKDF', false, ['deriveBits']);
    const okm = await subtle.deriveBits({
      name: 'HKDF', hash: 'SHA-256', salt: fromHex('000102030405060708090a0b0c'), info: fromHex('f0f1f2f3f4f5f6f7f8f9'),
    }, ikm, 42 * 8);
    bytesEqual(new Uint8Array(okm),
      fromHex('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'));
  }],

  ['a test file that exports no cases, or no list, fails instead of passing as an empty run', () => {
    const refused = (mod) => {
      try {
        collectCases(mod, 'empty.test.js');
      } catch (error) {
        return error.message;
      }
      return null;
    };
    ok(refused({ tests: [] })?.includes('no test cases'), 'an empty list');
    ok(refused({})?.includes('must export'), 'no list');
    equal(collectCases({ tests: [['one', () => {}]] }, 'one.test.js', 'node').length, 1);
  }],

  ['a case for one environment runs only there, and an unknown environment is refused', () => {
    const mod = { tests: [['everywhere', () => {}], ['IndexedDB', () => {}, { env: 'chromium' }]] };
    equal(collectCases(mod, 'mixed.test.js', 'node').map((c) => c.name).join(), 'everywhere');
    equal(collectCases(mod, 'mixed.test.js', 'chromium').map((c) => c.name).join(), 'everywhere,IndexedDB');
    let refused = null;
    try {
      collectCases({ tests: [['x', () => {}, { env: 'firefox' }]] }, 'x.test.js', 'node');
    } catch (error) {
      refused = error.message;
    }
    ok(refused?.includes('unknown env'), String(refused));
  }],
];
