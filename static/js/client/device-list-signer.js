// The primary's changes to its account's signed device list (docs/protocol.md 6.2), the twin of
// the Java client's DeviceListSigner: each starts from the list as the relay holds it now,
// verified, without the devices the relay no longer has (a companion that logged out or was
// unlinked for inactivity: the relay accepts a list only of registered devices), applies the
// change, signs the next version and uploads it.

import { ErrorCode, ProtocolError, deviceListCerts, parseDeviceCert, signDeviceList } from '../protocol/index.js';
import { RelayError } from './errors.js';
import { toBase64 } from './encoding.js';

// Uploads tried again after another change of the list came first.
const MAX_RETRIES = 3;
const NEXT_ID_KEY = 'next-companion-id';

const idOf = (cert) => parseDeviceCert(cert).deviceId;

export class DeviceListSigner {
  #auth;
  #directory;
  #storage;
  #self;

  // self() returns the primary's record ({ number, identity }).
  constructor({ auth, directory, storage, self }) {
    this.#auth = auth;
    this.#directory = directory;
    this.#storage = storage;
    this.#self = self;
  }

  // The id the next companion may not go below: one past every id this primary ever signed in
  // (the relay names the next id, but a relay that names a used one must not make this re-use it).
  async nextCompanionId() {
    return (await this.#storage.get('state', NEXT_ID_KEY)) ?? 2;
  }

  // Signs the counter-signed certificate into the list; resolves to the account as it now is
  // ({ account, answer }, as AccountDirectory.fetch).
  async add(cert) {
    const deviceId = idOf(cert);
    // The relay admitted the device under this id, so no later companion may get it.
    await this.#storage.put('state', NEXT_ID_KEY, Math.max(deviceId + 1, await this.nextCompanionId()));
    return this.#change((certs) => {
      if (certs.some((c) => idOf(c) === deviceId)) {
        throw new ProtocolError(ErrorCode.MALFORMED, `device ${deviceId} is in the list already`);
      }
      return [...certs, cert].sort((a, b) => idOf(a) - idOf(b));
    });
  }

  // Signs a list without the device; resolves to the account as it now is.
  remove(deviceId) {
    return this.#change((certs) => certs.filter((c) => idOf(c) !== deviceId));
  }

  async #change(edit) {
    const { number, identity } = this.#self();
    for (let retry = 0; ; retry++) {
      const fetched = await this.#directory.fetch(number);
      const { account } = fetched;
      const current = deviceListCerts(account.deviceList);
      const registered = current.filter((c) => account.registrationIds[idOf(c)] !== undefined);
      const changed = edit(registered);
      if (changed.map(idOf).join() === current.map(idOf).join()) return fetched;
      const list = await signDeviceList(identity, { listVersion: account.listVersion + 1, timestamp: Date.now(), certs: changed });
      try {
        await this.#auth.call('PUT', '/v1/devices/list', { deviceList: toBase64(list), expectedVersion: account.listVersion });
        return await this.#directory.fetch(number);
      } catch (error) {
        const conflict = error instanceof RelayError && error.status === 409 && error.code === 'LIST_VERSION_CONFLICT';
        if (!conflict || retry >= MAX_RETRIES) throw error;
      }
    }
  }
}
