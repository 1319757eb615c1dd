// The sessions this device holds with other devices, as Session snapshots in storage.
//
// A device may hold several sessions with another: two devices that start sessions with each
// other at once each end up with two. The active one (first) is the one this device encrypts
// with; a message is tried with each, and the one that opens it becomes the active one, so both
// sides settle on the same session (docs/client.md). At most MAX_PER_DEVICE are kept.

import { Session } from '../protocol/index.js';

const MAX_PER_DEVICE = 5;

function sessionKey(number, deviceId) {
  return `${number}/${deviceId}`;
}

export class SessionStore {
  #storage;
  #source;

  constructor(storage, source) {
    this.#storage = storage;
    this.#source = source;
  }

  // Live Session objects, the active one first. Stepping one changes only the object: the caller
  // stores it with put() in the step's changes.
  async load(number, deviceId) {
    const snapshots = (await this.#storage.get('sessions', sessionKey(number, deviceId))) ?? [];
    return snapshots.map((snapshot) => Session.restore(this.#source, snapshot));
  }

  // Makes `session` the active one of `held` (the list load() returned, stepped or not) and
  // records the list in changes.
  put(changes, number, deviceId, held, session) {
    const list = [session, ...held.filter((s) => s !== session)].slice(0, MAX_PER_DEVICE);
    changes.put('sessions', sessionKey(number, deviceId), list.map((s) => s.snapshot()));
  }

  forget(changes, number, deviceId) {
    changes.delete('sessions', sessionKey(number, deviceId));
  }
}
