// This device's prekeys (docs/protocol.md 3): the private halves stay in storage (as
// non-extractable CryptoKeys) and are stored before the public halves go to the relay, so the
// relay never hands out a prekey this device cannot use.

import { createOneTimePreKey, createSignedPreKey } from '../protocol/index.js';
import { toBase64 } from './encoding.js';

// One-time prekeys per upload: the relay's limit per request.
const BATCH = 100;
// Below this many one-time prekeys on the relay the device uploads more when it connects: the
// relay's own warning (prekeys-low) reaches only a connected device.
const LOW = 20;

const IDS_KEY = 'prekey-ids';

export class PreKeys {
  #storage;
  #source;
  #upload = null; // the top-up under way: warnings that come meanwhile do not start another

  constructor(storage, source) {
    this.#storage = storage;
    this.#source = source;
  }

  async #nextIds() {
    return (await this.#storage.get('state', IDS_KEY)) ?? { signed: 1, oneTime: 1 };
  }

  // A linking device's first prekeys: one signed prekey and a batch of one-time prekeys, stored.
  // Returns their records, base64, as POST /v1/devices/link takes them.
  async createInitial(identity) {
    const ids = await this.#nextIds();
    const signed = await createSignedPreKey(this.#source, identity, ids.signed);
    const { records, changes } = await this.#oneTimeBatch(ids.oneTime);
    await this.#storage.write([
      ...changes,
      { store: 'prekeys', key: `signed/${signed.id}`, value: signed.keyPair },
      { store: 'state', key: IDS_KEY, value: { signed: ids.signed + 1, oneTime: ids.oneTime + BATCH } },
    ]);
    return { signedPreKey: toBase64(signed.record), oneTimePreKeys: records };
  }

  async #oneTimeBatch(firstId) {
    const records = [];
    const changes = [];
    for (let i = 0; i < BATCH; i++) {
      const preKey = await createOneTimePreKey(this.#source, firstId + i);
      records.push(toBase64(preKey.record));
      changes.push({ store: 'prekeys', key: `one-time/${preKey.id}`, value: preKey.keyPair });
    }
    return { records, changes };
  }

  // Uploads a batch of one-time prekeys (unless one is on its way); resolves to the relay's count.
  topUp(auth) {
    this.#upload ??= (async () => {
      const ids = await this.#nextIds();
      const { records, changes } = await this.#oneTimeBatch(ids.oneTime);
      await this.#storage.write([...changes, { store: 'state', key: IDS_KEY, value: { ...ids, oneTime: ids.oneTime + BATCH } }]);
      const answer = await auth.call('PUT', '/v1/keys', { oneTimePreKeys: records });
      return answer.oneTimePreKeys;
    })().finally(() => {
      this.#upload = null;
    });
    return this.#upload;
  }

  async topUpIfLow(auth) {
    const { oneTimePreKeys } = await auth.call('GET', '/v1/keys/count');
    return oneTimePreKeys < LOW ? this.topUp(auth) : oneTimePreKeys;
  }

  // The prekey store acceptSession reads from; the one-time prekey it uses up is deleted in the
  // same step as the session it started.
  forStep(changes) {
    const storage = this.#storage;
    return {
      signedPreKey: (id) => storage.get('prekeys', `signed/${id}`),
      oneTimePreKey: (id) => storage.get('prekeys', `one-time/${id}`),
      removeOneTimePreKey: (id) => changes.delete('prekeys', `one-time/${id}`),
    };
  }
}
