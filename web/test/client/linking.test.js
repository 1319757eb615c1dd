// The channel-independent steps of linking: the QR's URI and the checks on what the primary sends.

import { deepEqual, equal, ok, rejects } from '../assert.js';
import { acceptProvisioning, newRegistrationId } from '../../../static/js/client/linking.js';
import { linkUri } from '../../../static/js/client/link-uri.js';
import { toBase64 } from '../../../static/js/client/encoding.js';
import {
  createIdentity, issueDeviceCert, parseDeviceCert, secureSource, verifyDeviceCert,
} from '../../../static/js/protocol/index.js';

const ALICE = '+8801711000001';
const source = secureSource();
const utf8 = (text) => new TextEncoder().encode(text);

function fromBase64Url(text) {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function parties() {
  return { primary: await createIdentity(source), companion: await createIdentity(source) };
}

function payload({ number = ALICE, accountKey, deviceId = 2, cert, v = 1 }) {
  return utf8(JSON.stringify({ v, number, accountKey: toBase64(accountKey), deviceId, cert: toBase64(cert) }));
}

export const tests = [
  ['the QR URI: version, address, keys and name, base64url without padding', async () => {
    const { companion } = await parties();
    const provisioningKey = Uint8Array.from({ length: 32 }, (_, i) => 250 - i);
    const uri = linkUri({ address: 'AbC-_12', provisioningKey, identityKey: companion.publicKey, name: 'মাইক্রো ল্যাপটপ' });
    const match = uri.match(/^quintet:\/\/link\?v=1&a=AbC-_12&k=([^&]+)&i=([^&]+)&n=([^&]+)$/);
    ok(match, uri);
    ok(/^[A-Za-z0-9_-]+$/.test(match[1] + match[2] + match[3]));
    deepEqual(fromBase64Url(match[1]), provisioningKey);
    deepEqual(fromBase64Url(match[2]), companion.publicKey);
    equal(new TextDecoder().decode(fromBase64Url(match[3])), 'মাইক্রো ল্যাপটপ');
  }],

  ['a certificate of the account for this identity is accepted and counter-signed', async () => {
    const { primary, companion } = await parties();
    const cert = await issueDeviceCert(primary, 3, companion.publicKey, 1234);
    const accepted = await acceptProvisioning(payload({ accountKey: primary.sign.publicKey, deviceId: 3, cert }), companion, ALICE);
    equal(accepted.number, ALICE);
    equal(accepted.deviceId, 3);
    deepEqual(accepted.accountKey, primary.sign.publicKey);
    equal((await verifyDeviceCert(accepted.cert, primary.sign.publicKey)).deviceId, 3);
    equal(parseDeviceCert(accepted.cert).issuedAt, 1234);
  }],

  ['a certificate for another identity, of another account, or for the primary\'s id is refused', async () => {
    const { primary, companion } = await parties();
    const other = await createIdentity(source);
    const forOther = await issueDeviceCert(primary, 2, other.publicKey, 1);
    await rejects(acceptProvisioning(payload({ accountKey: primary.sign.publicKey, cert: forOther }), companion), 'UNTRUSTED_DEVICE');
    const byOther = await issueDeviceCert(other, 2, companion.publicKey, 1);
    await rejects(acceptProvisioning(payload({ accountKey: primary.sign.publicKey, cert: byOther }), companion), 'UNTRUSTED_DEVICE');
    // Named for the other account but signed by the primary: the account signature does not verify.
    const forged = await issueDeviceCert(primary, 2, companion.publicKey, 1);
    forged.set(other.sign.publicKey, 1);
    await rejects(acceptProvisioning(payload({ accountKey: other.sign.publicKey, cert: forged }), companion), 'UNTRUSTED_DEVICE');
    const asPrimary = await issueDeviceCert(primary, 1, companion.publicKey, 1);
    await rejects(acceptProvisioning(payload({ accountKey: primary.sign.publicKey, deviceId: 1, cert: asPrimary }), companion),
      'UNTRUSTED_DEVICE');
    const good = await issueDeviceCert(primary, 2, companion.publicKey, 1);
    await rejects(acceptProvisioning(payload({ accountKey: primary.sign.publicKey, deviceId: 4, cert: good }), companion),
      'UNTRUSTED_DEVICE');
  }],

  ['code linking: the payload must be for the number the user typed', async () => {
    const { primary, companion } = await parties();
    const cert = await issueDeviceCert(primary, 2, companion.publicKey, 1);
    await rejects(acceptProvisioning(payload({ accountKey: primary.sign.publicKey, cert }), companion, '+8801811000002'),
      'UNTRUSTED_DEVICE');
  }],

  ['a payload that is not one is refused', async () => {
    const { primary, companion } = await parties();
    const cert = await issueDeviceCert(primary, 2, companion.publicKey, 1);
    await rejects(acceptProvisioning(utf8('{'), companion), 'MALFORMED');
    await rejects(acceptProvisioning(payload({ accountKey: primary.sign.publicKey, cert, v: 2 }), companion), 'UNSUPPORTED_VERSION');
    await rejects(acceptProvisioning(payload({ accountKey: primary.sign.publicKey, cert, number: 'alice' }), companion), 'MALFORMED');
    await rejects(acceptProvisioning(payload({ accountKey: primary.sign.publicKey, cert: cert.slice(0, -1) }), companion), 'MALFORMED');
  }],

  ['registration ids are 1..2^31-1', () => {
    for (let i = 0; i < 200; i++) {
      const id = newRegistrationId();
      ok(Number.isInteger(id) && id >= 1 && id <= 0x7fffffff, String(id));
    }
  }],
];
