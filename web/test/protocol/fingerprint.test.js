// fingerprint.json: fingerprints and safety numbers (section 8).
import { equal, fromHex, ok, rejects } from '../assert.js';
import { fingerprint, formatSafetyNumber, safetyNumber } from '../../../static/js/protocol/index.js';

export const tests = [
  ['fingerprint.json: fingerprints and safety numbers are recomputed', async (ctx) => {
    const v = await ctx.vector('fingerprint');
    ok(v.cases.length > 0, 'cases');
    for (const c of v.cases) {
      const a = { accountKey: fromHex(c.a.accountKey), number: c.a.number };
      const b = { accountKey: fromHex(c.b.accountKey), number: c.b.number };
      equal(await fingerprint(a.accountKey, a.number), c.a.fingerprint, 'fingerprint a');
      equal(await fingerprint(b.accountKey, b.number), c.b.fingerprint, 'fingerprint b');
      equal(await safetyNumber(a, b), c.safetyNumber, 'safety number');
      equal(await safetyNumber(b, a), c.safetyNumber, 'safety number, other side');
    }
  }, { timeout: 60_000 }],

  ['a safety number is shown as twelve groups of five digits', async (ctx) => {
    const v = await ctx.vector('fingerprint');
    const shown = formatSafetyNumber(v.cases[0].safetyNumber);
    ok(/^\d{5}( \d{5}){11}$/.test(shown), shown);
  }],

  ['fingerprints refuse a malformed key or number', async () => {
    await rejects(fingerprint(new Uint8Array(31), '+8801711000001'), 'MALFORMED', 'short key');
    await rejects(fingerprint(new Uint8Array(32), '8801711000001'), 'MALFORMED', 'no plus');
    await rejects(fingerprint(new Uint8Array(32), '+12345'), 'MALFORMED', 'too short');
  }],
];
