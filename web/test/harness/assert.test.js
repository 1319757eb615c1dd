// The assertion helpers must fail when they should; a helper that never fails would pass every test.
import { AssertionError, bytesEqual, deepEqual, equal, fromHex, ok, rejects, throws, toHex } from '../assert.js';

const coded = (code) => Object.assign(new Error(`boom ${code}`), { code });

// Runs fn and returns the AssertionError it raised; anything else is a failure of this test.
async function assertionFailure(fn) {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AssertionError && err.code === 'ERR_ASSERTION') return err;
    throw new Error(`expected an AssertionError, got ${err}`);
  }
  throw new Error('expected an AssertionError, but the assertion passed');
}

export const tests = [
  ['rejects passes on a matching code and returns the error', async () => {
    const err = coded('E_ONE');
    equal(await rejects(Promise.reject(err), 'E_ONE'), err);
    equal(await rejects(async () => { throw err; }, 'E_ONE'), err);
  }],

  ['rejects fails on a code mismatch, a resolved promise, or a synchronous throw', async () => {
    const mismatch = await assertionFailure(() => rejects(Promise.reject(coded('E_ONE')), 'E_TWO'));
    ok(mismatch.message.includes('"E_TWO"') && mismatch.message.includes('"E_ONE"'), mismatch.message);
    equal(mismatch.cause?.code, 'E_ONE', 'original error kept as cause');
    await assertionFailure(() => rejects(Promise.resolve(42), 'E_ONE'));
    await assertionFailure(() => rejects(() => { throw coded('E_ONE'); }, 'E_ONE'));
    await assertionFailure(() => rejects(Promise.reject(new Error('no code')), 'E_ONE'));
  }],

  ['throws checks the code and refuses promises', async () => {
    throws(() => { throw coded('E_SYNC'); }, 'E_SYNC');
    await assertionFailure(() => throws(() => { throw coded('E_SYNC'); }, 'E_OTHER'));
    await assertionFailure(() => throws(() => 1, 'E_SYNC'));
    await assertionFailure(() => throws(async () => { throw coded('E_SYNC'); }, 'E_SYNC'));
  }],

  ['bytesEqual prints both values in hex on mismatch', async () => {
    bytesEqual(fromHex('00ff10'), new Uint8Array([0, 255, 16]));
    const err = await assertionFailure(() => bytesEqual(fromHex('00ff10'), fromHex('00ff11'), 'tag'));
    ok(err.message.startsWith('tag: ') && err.message.includes('00ff10') && err.message.includes('00ff11'), err.message);
    ok(err.message.includes('index 2'), err.message);
    await assertionFailure(() => bytesEqual(fromHex('00'), fromHex('0000')));
    await assertionFailure(() => bytesEqual(new Uint8Array(2).buffer, new Uint8Array(2)));
    equal(toHex(fromHex('DEADbeef')), 'deadbeef');
  }],

  ['equal, ok and deepEqual', async () => {
    equal(NaN, NaN);
    await assertionFailure(() => equal(1, '1'));
    await assertionFailure(() => ok(0));
    deepEqual({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] });
    const err = await assertionFailure(() => deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }));
    ok(err.message.includes('$.a[1].b'), err.message);
    await assertionFailure(() => deepEqual({ a: 1 }, { a: 1, b: undefined }));
    await assertionFailure(() => deepEqual([1, 2], [1, 2, 3]));
  }],
];
