// Every bound of the protocol, named once (docs/protocol.md): the twin of Limits.java, kept the
// same by protocol/vectors/limits.json.

export const VERSION = 1;
export const MAX_PLAINTEXT = 262_144;
export const MAX_CONTENT = MAX_PLAINTEXT + 256;
// Message keys that one incoming message may make the receiver skip.
export const MAX_SKIP = 1000;
// Skipped message keys one session keeps; the oldest go first.
export const MAX_SKIPPED_KEYS = 2000;
// Replaced receiving ratchet keys a session remembers, to tell a replay from a forgery.
export const MAX_PREVIOUS_CHAINS = 20;
export const MAX_LIST_DEVICES = 16;
export const CODE_PBKDF2_ITERATIONS = 131_072;
// u64 fields carry at most 2^53-1, the largest integer a JavaScript number holds exactly.
export const MAX_U64 = Number.MAX_SAFE_INTEGER;
// The plaintext bytes of one chunk of an attachment's blob (docs/protocol.md, 8a).
export const ATTACHMENT_CHUNK_SIZE = 65_536;
// The largest file an attachment carries (a relay may take less).
export const MAX_ATTACHMENT_SIZE = 2 ** 31;
