// Local storage behind a small asynchronous interface, so that the same client code runs on
// IndexedDB in the browser and in memory under Node:
//
//   get(store, key)            -> the value, or undefined
//   put(store, key, value)
//   delete(store, key)
//   list(store, prefix = '')   -> [{ key, value }] for the keys that start with prefix, in key order
//   write(changes)             -> applies [{ store, key, value }] atomically; value undefined deletes
//   clear()                    -> empties every store
//
// Keys are strings. Values are anything structuredClone takes, including CryptoKey objects, so
// non-extractable private keys are stored as they are and never leave WebCrypto. Both
// implementations hand out copies: changing a value read does not change what is stored.

export const STORES = Object.freeze([
  'state', // this device: identity, number, ids, status; the history transfer's progress; the account's settings
  'prekeys', // private halves of this device's prekeys
  'sessions', // per remote device, its sessions (snapshots), the active one first
  'accounts', // per number, the signed device list accepted last and the devices it vouches for
  'messages', // texts, keyed by conversation, time and id
  'seen', // per message id received or sent: where its text is (for de-duplication and receipts)
  'conversations', // per peer: the last text and the unread count
  'outbox', // texts and other contents this device has yet to hand to the relay
  'profiles', // per number (this account's too), the profile name it shared and when
  'files', // per message id, the file it carries as this device has it (sent from here, or downloaded)
]);

function requireStore(store) {
  if (!STORES.includes(store)) throw new TypeError(`no such store: ${store}`);
}

function requireKey(key) {
  if (typeof key !== 'string') throw new TypeError('keys are strings');
}

// The largest code unit: every key that starts with prefix sorts below prefix + this.
const KEY_END = '\uffff';

export class MemoryStorage {
  #stores = new Map(STORES.map((name) => [name, new Map()]));

  async get(store, key) {
    requireStore(store);
    requireKey(key);
    const value = this.#stores.get(store).get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  async put(store, key, value) {
    return this.write([{ store, key, value }]);
  }

  async delete(store, key) {
    return this.write([{ store, key, value: undefined }]);
  }

  async list(store, prefix = '') {
    requireStore(store);
    const out = [];
    for (const [key, value] of this.#stores.get(store)) {
      if (key.startsWith(prefix)) out.push({ key, value: structuredClone(value) });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // Every value is cloned before anything changes, so a value that cannot be stored changes nothing.
  async write(changes) {
    const cloned = changes.map(({ store, key, value }) => {
      requireStore(store);
      requireKey(key);
      return { store, key, value: value === undefined ? undefined : structuredClone(value) };
    });
    for (const { store, key, value } of cloned) {
      if (value === undefined) this.#stores.get(store).delete(key);
      else this.#stores.get(store).set(key, value);
    }
  }

  async clear() {
    for (const map of this.#stores.values()) map.clear();
  }
}

// 2: the profiles store (an upgrade adds the stores a database lacks, and keeps the rest).
const DB_VERSION = 3;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error);
  });
}

export class IndexedDbStorage {
  #db;

  constructor(db) {
    this.#db = db;
  }

  // One database per device; a test or a second profile on one origin uses another name.
  static async open(name = 'quintet') {
    const req = indexedDB.open(name, DB_VERSION);
    req.onupgradeneeded = () => {
      for (const store of STORES) {
        if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store);
      }
    };
    const db = await request(req);
    // Another tab that upgrades the schema must not be blocked by this one: let go of the database.
    db.onversionchange = () => db.close();
    return new IndexedDbStorage(db);
  }

  async get(store, key) {
    requireStore(store);
    requireKey(key);
    return request(this.#db.transaction(store).objectStore(store).get(key));
  }

  async put(store, key, value) {
    return this.write([{ store, key, value }]);
  }

  async delete(store, key) {
    return this.write([{ store, key, value: undefined }]);
  }

  async list(store, prefix = '') {
    requireStore(store);
    const objects = this.#db.transaction(store).objectStore(store);
    const range = prefix === '' ? undefined : IDBKeyRange.bound(prefix, prefix + KEY_END);
    // Both reads run in one transaction over one range, so keys and values line up.
    const [keys, values] = await Promise.all([request(objects.getAllKeys(range)), request(objects.getAll(range))]);
    return keys.map((key, i) => ({ key, value: values[i] }));
  }

  async write(changes) {
    if (changes.length === 0) return;
    changes.forEach(({ store, key }) => {
      requireStore(store);
      requireKey(key);
    });
    const names = [...new Set(changes.map((c) => c.store))];
    const tx = this.#db.transaction(names, 'readwrite');
    const finished = done(tx);
    try {
      for (const { store, key, value } of changes) {
        if (value === undefined) tx.objectStore(store).delete(key);
        else tx.objectStore(store).put(value, key);
      }
    } catch (error) {
      // A value that cannot be cloned throws here: abort, so that nothing of the write is kept.
      tx.abort();
      finished.catch(() => {});
      throw error;
    }
    return finished;
  }

  async clear() {
    const tx = this.#db.transaction(STORES, 'readwrite');
    const finished = done(tx);
    for (const store of STORES) tx.objectStore(store).clear();
    return finished;
  }

  close() {
    this.#db.close();
  }
}

// Collects changes of one step (a received message: the session, the used prekey, the message id,
// the text) so they are stored together or not at all.
export class Changes {
  #list = [];

  put(store, key, value) {
    this.#list.push({ store, key, value });
  }

  delete(store, key) {
    this.#list.push({ store, key, value: undefined });
  }

  // The value this step wrote last for the key (null for a deletion), or undefined if it wrote none.
  pending(store, key) {
    for (let i = this.#list.length - 1; i >= 0; i--) {
      const change = this.#list[i];
      if (change.store === store && change.key === key) return change.value === undefined ? null : change.value;
    }
    return undefined;
  }

  commit(storage) {
    return storage.write(this.#list);
  }
}
