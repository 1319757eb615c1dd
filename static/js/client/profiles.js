// What accounts call themselves (content `profile`, docs/protocol.md "Contents"): the name each
// number shared with this account, this account's own among them, and the account's settings
// (content `settings`), which its devices share. For both, the latest `ts` wins, so that an old
// message delivered late never undoes a newer change.

const SETTINGS_KEY = 'settings';
const DEFAULT_SETTINGS = Object.freeze({ readReceipts: true, ts: 0 });

export class Profiles {
  #storage;

  constructor(storage) {
    this.#storage = storage;
  }

  // The name the number shared, or null.
  async name(number) {
    return (await this.#storage.get('profiles', number))?.name ?? null;
  }

  // Every name known: { number: name }.
  async names() {
    return Object.fromEntries((await this.#storage.list('profiles')).map(({ key, value }) => [key, value.name]));
  }

  // Every name known with its time: { number: { name, ts } }.
  async all() {
    return Object.fromEntries((await this.#storage.list('profiles')).map(({ key, value }) => [key, value]));
  }

  // Keeps the name unless a newer one is kept already; returns whether it changed.
  async take(changes, number, name, ts) {
    const held = changes.pending('profiles', number) ?? (await this.#storage.get('profiles', number));
    if (held && held.ts >= ts) return false;
    changes.put('profiles', number, { name, ts });
    return held?.name !== name;
  }

  async settings() {
    return { ...DEFAULT_SETTINGS, ...(await this.#storage.get('state', SETTINGS_KEY)) };
  }

  // Keeps the settings unless newer ones are kept already; returns whether they changed.
  async takeSettings(changes, settings, ts) {
    const held = changes.pending('state', SETTINGS_KEY) ?? (await this.settings());
    if (held.ts >= ts) return false;
    changes.put('state', SETTINGS_KEY, { ...held, ...settings, ts });
    return true;
  }
}
