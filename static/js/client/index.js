// The browser's client core: openDevice() and the Device it returns (see device.js), a
// companion or the account's primary, plus the storage implementations for callers that choose
// their own.
export { Device, State, openDevice, requireSecureContext } from './device.js';
export { IndexedDbStorage, MemoryStorage } from './store.js';
export { ClientError, ClientErrorCode, RelayError } from './errors.js';
// The relay's limit on a device name, which the page's name fields keep to.
export { MAX_NAME_LENGTH } from './link-uri.js';
// Muting a chat's notifications: for good, and whether a conversation is muted now.
export { ALWAYS_MUTED, isMuted } from './chats.js';
