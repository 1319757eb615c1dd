// The storage contract, against the in-memory implementation and, in Chromium, IndexedDB.

import { deepEqual, equal, ok } from '../assert.js';
import { Changes, IndexedDbStorage, MemoryStorage, STORES } from '../../../static/js/client/store.js';
import { secureSource } from '../../../static/js/protocol/index.js';

let databases = 0;

// Runs check on a fresh storage of each kind the environment has.
async function eachStorage(ctx, check) {
  await check(new MemoryStorage());
  if (ctx.env !== 'chromium') return;
  const name = `quintet-test-${Date.now()}-${databases++}`;
  const storage = await IndexedDbStorage.open(name);
  try {
    await check(storage);
  } finally {
    storage.close();
    await new Promise((resolve, reject) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = resolve;
      req.onerror = () => reject(req.error);
    });
  }
}

export const tests = [
  ['get, put, delete; values are copies', (ctx) => eachStorage(ctx, async (storage) => {
    equal(await storage.get('state', 'device'), undefined);
    const value = { a: 1, bytes: Uint8Array.of(1, 2, 3), map: new Map([['k', 2]]) };
    await storage.put('state', 'device', value);
    value.a = 2;
    const read = await storage.get('state', 'device');
    equal(read.a, 1);
    deepEqual(read.bytes, Uint8Array.of(1, 2, 3));
    equal(read.map.get('k'), 2);
    read.a = 3;
    equal((await storage.get('state', 'device')).a, 1);
    await storage.delete('state', 'device');
    equal(await storage.get('state', 'device'), undefined);
    await storage.delete('state', 'device');
  })],

  ['list by prefix, in key order', (ctx) => eachStorage(ctx, async (storage) => {
    for (const key of ['+88017/0002/b', '+88017/0001/a', '+88018/0001/c', '+8801/x']) {
      await storage.put('messages', key, key);
    }
    deepEqual((await storage.list('messages', '+88017/')).map((e) => e.key), ['+88017/0001/a', '+88017/0002/b']);
    deepEqual((await storage.list('messages', '+88017/')).map((e) => e.value), ['+88017/0001/a', '+88017/0002/b']);
    equal((await storage.list('messages')).length, 4);
    deepEqual(await storage.list('messages', '+99'), []);
  })],

  ['write is all or nothing', (ctx) => eachStorage(ctx, async (storage) => {
    await storage.put('seen', 'old', 1);
    await storage.write([
      { store: 'seen', key: 'a', value: 1 },
      { store: 'messages', key: 'b', value: 2 },
      { store: 'seen', key: 'old', value: undefined },
    ]);
    equal(await storage.get('seen', 'a'), 1);
    equal(await storage.get('messages', 'b'), 2);
    equal(await storage.get('seen', 'old'), undefined);
    // A value that cannot be cloned (a function) refuses the whole write.
    let refused = false;
    try {
      await storage.write([{ store: 'seen', key: 'c', value: 3 }, { store: 'seen', key: 'd', value: () => {} }]);
    } catch {
      refused = true;
    }
    ok(refused);
    equal(await storage.get('seen', 'c'), undefined);
  })],

  ['unknown stores and non-string keys are refused; clear empties every store', (ctx) => eachStorage(ctx, async (storage) => {
    let thrown = 0;
    for (const call of [() => storage.get('nope', 'k'), () => storage.put('state', 1, 'v'), () => storage.list('nope')]) {
      try {
        await call();
      } catch (error) {
        if (error instanceof TypeError) thrown++;
      }
    }
    equal(thrown, 3);
    for (const store of STORES) await storage.put(store, 'k', store);
    await storage.clear();
    for (const store of STORES) deepEqual(await storage.list(store), []);
  })],

  ['a non-extractable private key survives storage and still signs', (ctx) => eachStorage(ctx, async (storage) => {
    const pair = await secureSource().newEd25519();
    await storage.put('prekeys', 'identity', pair);
    const read = await storage.get('prekeys', 'identity');
    equal(read.privateKey.extractable, false);
    const signature = await crypto.subtle.sign({ name: 'Ed25519' }, read.privateKey, Uint8Array.of(1));
    const publicKey = await crypto.subtle.importKey('raw', pair.publicKey, { name: 'Ed25519' }, false, ['verify']);
    ok(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, Uint8Array.of(1)));
    let exported = true;
    await crypto.subtle.exportKey('pkcs8', read.privateKey).catch(() => {
      exported = false;
    });
    equal(exported, false);
  })],

  ['Changes: the last pending value of a key, and one write', async () => {
    const storage = new MemoryStorage();
    const changes = new Changes();
    equal(changes.pending('seen', 'a'), undefined);
    changes.put('seen', 'a', 1);
    changes.put('seen', 'a', 2);
    equal(changes.pending('seen', 'a'), 2);
    changes.delete('seen', 'a');
    equal(changes.pending('seen', 'a'), null);
    changes.put('seen', 'b', 3);
    await changes.commit(storage);
    equal(await storage.get('seen', 'a'), undefined);
    equal(await storage.get('seen', 'b'), 3);
  }],
];
