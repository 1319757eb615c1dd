// The browser companion's client core: openCompanion() and the Companion it returns (see
// companion.js), plus the storage implementations for callers that choose their own.
export { Companion, State, openCompanion, requireSecureContext } from './companion.js';
export { IndexedDbStorage, MemoryStorage } from './store.js';
export { ClientError, ClientErrorCode, RelayError } from './errors.js';
