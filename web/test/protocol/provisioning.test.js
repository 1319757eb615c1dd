// provisioning.json: the QR provisioning cipher (section 7.1).
import { bytesEqual, fromHex, ok, rejects } from '../assert.js';
import {
  createProvisioningKey, openProvisioning, sealProvisioning, secureSource, testSource,
} from '../../../static/js/protocol/index.js';
import { utf8 } from './helpers.js';

export const tests = [
  ['provisioning.json: the message is recomputed byte for byte and opens', async (ctx) => {
    const v = await ctx.vector('provisioning');
    const q = await createProvisioningKey(testSource(fromHex(v.companion.seed)));
    bytesEqual(q.publicKey, fromHex(v.provisioningKey), 'provisioning key');
    const message = await sealProvisioning(testSource(fromHex(v.primary.seed)), q.publicKey, fromHex(v.payload));
    bytesEqual(message, fromHex(v.message), 'message');
    bytesEqual(await openProvisioning(q, message), fromHex(v.payload), 'payload');
  }],

  ['provisioning.json: every rejection has its code', async (ctx) => {
    const v = await ctx.vector('provisioning');
    const q = await createProvisioningKey(testSource(fromHex(v.companion.seed)));
    ok(v.rejections.length > 0, 'rejections');
    for (const r of v.rejections) await rejects(openProvisioning(q, fromHex(r.message)), r.error, r.name);
  }],

  ['provisioning with secure keys: only the holder of Q opens it; a bad Q is INVALID_KEY', async () => {
    const source = secureSource();
    const q = await createProvisioningKey(source);
    const other = await createProvisioningKey(source);
    const payload = utf8('account key, device id, certificate');
    const message = await sealProvisioning(source, q.publicKey, payload);
    bytesEqual(await openProvisioning(q, message), payload, 'round trip');
    await rejects(openProvisioning(other, message), 'AUTH_FAILED', 'another companion');
    await rejects(sealProvisioning(source, new Uint8Array(32), payload), 'INVALID_KEY', 'zero key');
    const topBit = q.publicKey.slice();
    topBit[31] |= 0x80;
    await rejects(sealProvisioning(source, topBit, payload), 'INVALID_KEY', 'bit 255 set');
    await rejects(sealProvisioning(source, q.publicKey, new Uint8Array(262145)), 'TOO_LARGE', 'payload over the limit');
  }],
];
