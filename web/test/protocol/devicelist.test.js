// devicelist.json: device certificates and signed device lists (section 6).
import { bytesEqual, deepEqual, equal, fromHex, ok, rejects } from '../assert.js';
import {
  counterSignDeviceCert, createIdentity, issueDeviceCert, parseDeviceCert, secureSource, signDeviceList, testSource,
  verifyDeviceCert, verifyDeviceList,
} from '../../../static/js/protocol/index.js';

const hexOrNull = (h) => (h === null ? null : fromHex(h));

async function identities(v) {
  const account = await createIdentity(testSource(fromHex(v.account.seed)));
  const devices = new Map();
  for (const d of v.devices) {
    devices.set(d.deviceId, d.deviceId === 1 ? account : await createIdentity(testSource(fromHex(d.seed))));
  }
  return { account, devices };
}

function resultFromVector(r) {
  return {
    accountKey: fromHex(r.accountKey),
    listVersion: r.listVersion,
    timestamp: r.timestamp,
    devices: r.devices.map((d) => ({ id: d.id, identity: fromHex(d.identity), issuedAt: d.issuedAt })),
  };
}

export const tests = [
  ['devicelist.json: certificates and lists are recomputed byte for byte', async (ctx) => {
    const v = await ctx.vector('devicelist');
    const { account, devices } = await identities(v);
    const certs = new Map();
    for (const d of v.devices) {
      const issued = await issueDeviceCert(account, d.deviceId, devices.get(d.deviceId).publicKey, d.issuedAt);
      const cert = await counterSignDeviceCert(devices.get(d.deviceId), issued);
      bytesEqual(cert, fromHex(d.cert), `certificate of device ${d.deviceId}`);
      certs.set(d.deviceId, cert);
    }
    ok(v.lists.length > 0, 'lists');
    for (const l of v.lists) {
      const list = await signDeviceList(account, {
        listVersion: l.listVersion, timestamp: l.timestamp, certs: l.deviceIds.map((id) => certs.get(id)),
      });
      bytesEqual(list, fromHex(l.list), l.name);
    }
  }],

  ['devicelist.json: every verification has its result or its code', async (ctx) => {
    const v = await ctx.vector('devicelist');
    ok(v.verify.length > 0, 'verify cases');
    // Every case is checked, and every mismatch reported, before the test fails.
    const mismatches = [];
    for (const c of v.verify) {
      const args = [fromHex(c.list), hexOrNull(c.expectedAccountKey), hexOrNull(c.lastAccepted)];
      try {
        if (c.error) await rejects(verifyDeviceList(...args), c.error, c.name);
        else deepEqual(await verifyDeviceList(...args), resultFromVector(c.result), c.name);
      } catch (err) {
        mismatches.push(err.message);
      }
    }
    ok(mismatches.length === 0, `${mismatches.length} of ${v.verify.length} cases differ:\n${mismatches.join('\n')}`);
  }],

  ['devicelist.json: every list verifies, and its certificates are valid for the account', async (ctx) => {
    const v = await ctx.vector('devicelist');
    const { account } = await identities(v);
    for (const l of v.lists) {
      const result = await verifyDeviceList(fromHex(l.list), account.sign.publicKey);
      deepEqual(result.devices.map((d) => d.id), l.deviceIds, l.name);
      equal(result.listVersion, l.listVersion, `${l.name}: version`);
    }
    for (const d of v.devices) {
      const parsed = await verifyDeviceCert(fromHex(d.cert), account.sign.publicKey);
      equal(parsed.deviceId, d.deviceId, 'device id');
      equal(parsed.issuedAt, d.issuedAt, 'issuedAt');
    }
  }],

  ['a device counter-signs only its own certificate, and only one its account signed', async () => {
    const source = secureSource();
    const account = await createIdentity(source);
    const device = await createIdentity(source);
    const stranger = await createIdentity(source);
    const issued = await issueDeviceCert(account, 2, device.publicKey, 1_790_000_000_000);
    await rejects(counterSignDeviceCert(stranger, issued), 'UNTRUSTED_DEVICE', 'another identity');
    const forged = issued.slice();
    forged[150] ^= 1;
    await rejects(counterSignDeviceCert(device, forged), 'UNTRUSTED_DEVICE', 'account signature broken');
    await rejects(verifyDeviceCert(issued, account.sign.publicKey), 'UNTRUSTED_DEVICE', 'not yet counter-signed');
    const cert = await counterSignDeviceCert(device, issued);
    deepEqual(parseDeviceCert(cert), {
      accountKey: account.sign.publicKey, deviceId: 2, identity: device.publicKey, issuedAt: 1_790_000_000_000,
    });
    await verifyDeviceCert(cert, account.sign.publicKey);
    await rejects(verifyDeviceCert(cert, stranger.sign.publicKey), 'UNTRUSTED_DEVICE', 'another account');
  }],

  ['the primary refuses to sign a list it would not accept', async () => {
    const source = secureSource();
    const account = await createIdentity(source);
    const device = await createIdentity(source);
    const own = await counterSignDeviceCert(account, await issueDeviceCert(account, 1, account.publicKey, 1));
    const companion = await counterSignDeviceCert(device, await issueDeviceCert(account, 2, device.publicKey, 2));
    const unsigned = await issueDeviceCert(account, 3, device.publicKey, 3);
    const signList = (certs, listVersion = 1) => signDeviceList(account, { listVersion, timestamp: 5, certs });
    await rejects(signList([]), 'MALFORMED', 'empty');
    await rejects(signList([own], 0), 'MALFORMED', 'version 0');
    await rejects(signList([companion, own]), 'MALFORMED', 'order');
    await rejects(signList([companion]), 'NO_PRIMARY', 'no primary');
    await rejects(signList([own, unsigned]), 'UNTRUSTED_DEVICE', 'a certificate the device did not counter-sign');
    const list = await signList([own, companion]);
    equal((await verifyDeviceList(list, account.sign.publicKey)).devices.length, 2, 'two devices');
  }],

  ['a list of 17 devices is malformed; 16 are accepted', async () => {
    const source = secureSource();
    const account = await createIdentity(source);
    const device = await createIdentity(source);
    const certs = [await counterSignDeviceCert(account, await issueDeviceCert(account, 1, account.publicKey, 1))];
    for (let id = 2; id <= 17; id++) {
      certs.push(await counterSignDeviceCert(device, await issueDeviceCert(account, id, device.publicKey, id)));
    }
    await rejects(signDeviceList(account, { listVersion: 1, timestamp: 1, certs }), 'MALFORMED', '17 devices');
    const list = await signDeviceList(account, { listVersion: 1, timestamp: 1, certs: certs.slice(0, 16) });
    equal((await verifyDeviceList(list)).devices.length, 16, '16 devices');
  }],
];
