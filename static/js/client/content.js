// The plaintext inside the ratchet: a small JSON object {"v":1,"type":...} whose type says what
// else it holds. Every type is declared once, in CONTENT_TYPES, with its decoder; the twin of the
// Java client's ContentType, and both are held to protocol/vectors/contents.json. To add a type:
// declare it here and in ContentType.java, give it a decoder in both, and add its valid and
// invalid cases to the fixture. docs/protocol.md ("Contents") lists every type.
//
// Fields every content may have: v (1), type, and peer: on the copies a sender makes for its own
// other devices, the other account of the conversation, so that every device of the sender shows
// the message in the right chat.

import { ErrorCode, MAX_PLAINTEXT, MAX_U64, ProtocolError } from '../protocol/index.js';
import { MAX_ATTACHMENT_SIZE } from '../protocol/limits.js';
import { isE164 } from '../protocol/safety.js';
import { fromUtf8, toBase64, utf8 } from './encoding.js';

export const CONTENT_VERSION = 1;
// The bounds of the contents around a text (docs/protocol.md, "Contents"; the twin of the Java
// client's ContentLimits, both held to the "limits" of protocol/vectors/contents.json).
export const ContentLimits = Object.freeze({
  MAX_QUOTE_CHARS: 200, // the quoted text a reply carries, in UTF-16 units
  MAX_EMOJI_CHARS: 32, // one emoji, however many code points it joins
  MAX_TARGETS: 100, // message ids in one read receipt or delete for me
  MAX_PROFILE_NAME_CHARS: 64,
  EDIT_WINDOW_MS: 15 * 60 * 1000, // an author edits a message this long after sending it
  DELETE_WINDOW_MS: 2 * 24 * 3600 * 1000, // and deletes it for everyone this long after
  MAX_FILE_NAME_CHARS: 255, // an attachment's file name, in UTF-16 units
  MAX_CONTENT_TYPE_CHARS: 127, // an attachment's media type (image/jpeg)
  MAX_THUMBNAIL_BYTES: 4096, // the thumbnail shown before the file is downloaded: a few KB
  MAX_DIMENSION: 65_535, // a photo's or video's width or height, in pixels
  MAX_DURATION_MS: 24 * 3600 * 1000, // a voice note's or video's duration: a day
});
// Texts one history part holds at most, and parts a history has at most (the Java client keeps
// 10 000 texts, so needs at most as many parts).
export const MAX_HISTORY_MESSAGES = 100;
export const MAX_HISTORY_PARTS = 10_000;
// Reactions one text of the history carries at most (one per account), and names one part carries
// at most (the account's own and two a text).
export const MAX_HISTORY_REACTIONS = 256;
export const MAX_HISTORY_PROFILES = 256;
const MAX_DEVICE_ID = 0xffffffff;
const MESSAGE_ID_HEX = /^[0-9a-f]{32}$/;

function malformed(detail) {
  return new ProtocolError(ErrorCode.MALFORMED, detail);
}

function isTime(value) {
  return Number.isInteger(value) && value >= 0 && value <= MAX_U64;
}

function isMessageId(value) {
  return typeof value === 'string' && MESSAGE_ID_HEX.test(value);
}

function requireTime(ts, what) {
  if (!isTime(ts)) throw malformed(`the ${what} has no time`);
}

function requireTarget(target, what) {
  if (!isMessageId(target)) throw malformed(`the ${what} names no message (32 lower-case hex digits)`);
}

function requireTargets(targets, what) {
  if (!Array.isArray(targets) || targets.length < 1 || targets.length > ContentLimits.MAX_TARGETS ||
      !targets.every(isMessageId)) {
    throw malformed(`the ${what} names 1 to ${ContentLimits.MAX_TARGETS} messages`);
  }
}

// A control character (as Java's Character.isISOControl), which no name or emoji holds.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// {"v":1,"type":"text","body","ts","quote"?:{"id","author","body"},"peer"?}: quote, on a reply,
// is the message answered, with a short piece of its text for a device that does not hold it.
function decodeText({ body, ts, quote }, peer) {
  if (typeof body !== 'string') throw malformed('the text has no body');
  requireTime(ts, 'text');
  if (quote === undefined) return { body, ts, peer };
  return { body, ts, peer, quote: decodeQuote(quote) };
}

function decodeQuote(quote) {
  const valid = quote !== null && typeof quote === 'object' && isMessageId(quote.id) && isE164(quote.author) &&
    typeof quote.body === 'string' && quote.body.length <= ContentLimits.MAX_QUOTE_CHARS;
  if (!valid) throw malformed(`the quote needs the id, author and at most ${ContentLimits.MAX_QUOTE_CHARS} characters of its text`);
  return { id: quote.id, author: quote.author, body: quote.body };
}

// A reaction's emoji as the wire bounds it ('' is a reaction taken back).
function isReactionEmoji(emoji) {
  return typeof emoji === 'string' && emoji.length <= ContentLimits.MAX_EMOJI_CHARS && !/\s/u.test(emoji) &&
    !CONTROL.test(emoji);
}

function isProfileName(name) {
  return typeof name === 'string' && name !== '' && name.length <= ContentLimits.MAX_PROFILE_NAME_CHARS &&
    !CONTROL.test(name);
}

// {"type":"reaction","target","emoji","ts"}: one emoji for the message, or "" to take it back.
function decodeReaction({ target, emoji, ts }, peer) {
  requireTarget(target, 'reaction');
  if (!isReactionEmoji(emoji)) {
    throw malformed('a reaction is one emoji, or empty to take it back');
  }
  requireTime(ts, 'reaction');
  return { target, emoji, ts, peer };
}

// {"type":"edit","target","body","ts"}: the author's new text of a message.
function decodeEdit({ target, body, ts }, peer) {
  requireTarget(target, 'edit');
  if (typeof body !== 'string') throw malformed('the edit has no body');
  requireTime(ts, 'edit');
  return { target, body, ts, peer };
}

// {"type":"delete","target","ts"}: the author takes a message back, for everyone.
function decodeDelete({ target, ts }, peer) {
  requireTarget(target, 'delete');
  requireTime(ts, 'delete');
  return { target, ts, peer };
}

// {"type":"delete-for-me","targets","ts"}: to the own devices, messages this account no longer shows.
function decodeDeleteForMe({ targets, ts }, peer) {
  requireTargets(targets, 'delete for me');
  requireTime(ts, 'delete for me');
  return { targets: [...targets], ts, peer };
}

// {"type":"read","targets","ts"}: to the authors, messages read; to the own devices (with peer),
// a conversation read on another of them.
function decodeRead({ targets, ts }, peer) {
  requireTargets(targets, 'read receipt');
  requireTime(ts, 'read receipt');
  return { targets: [...targets], ts, peer };
}

// {"type":"typing","typing","ts"}: sent only to devices online at that moment.
function decodeTyping({ typing, ts }, peer) {
  if (typeof typing !== 'boolean') throw malformed('typing is true or false');
  requireTime(ts, 'typing signal');
  return { typing, ts, peer };
}

// {"type":"profile","name","ts"}: the name the account shows to the people it talks to.
function decodeProfile({ name, ts }, peer) {
  if (!isProfileName(name)) {
    throw malformed(`a profile name is 1 to ${ContentLimits.MAX_PROFILE_NAME_CHARS} printable characters`);
  }
  requireTime(ts, 'profile');
  return { name, ts, peer };
}

// {"type":"settings","readReceipts","ts"}: the account's settings, to its own devices.
function decodeSettings({ readReceipts, ts }, peer) {
  if (typeof readReceipts !== 'boolean') throw malformed('the settings say whether read receipts are sent');
  requireTime(ts, 'settings');
  return { readReceipts, ts, peer };
}

const BLOB_ID = /^[A-Za-z0-9_-]{16,64}$/;
const MEDIA_TYPE = /^[!-.0-~]+\/[!-.0-~]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// Base64 (with padding) of min..max bytes, written as an encoder writes it (as the Java client
// refuses any other spelling of the same bytes).
function base64Field(text, min, max, what) {
  let bytes = null;
  if (typeof text === 'string' && text.length % 4 === 0 && BASE64.test(text)) {
    bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }
  if (!bytes || bytes.length < min || bytes.length > max || toBase64(bytes) !== text) {
    throw malformed(`an attachment's ${what} is base64 of ${min === max ? min : `${min} to ${max}`} bytes`);
  }
  return bytes;
}

// A name a device may give the file it saves: never a path, never a control character.
export function isFileName(name) {
  return typeof name === 'string' && name !== '' && name.length <= ContentLimits.MAX_FILE_NAME_CHARS &&
    !CONTROL.test(name) && !/[/\\]/.test(name) && name !== '.' && name !== '..';
}

// The fields of docs/protocol.md's attachment pointer, from a content or a history entry:
// { blob, key, size, digest, contentType, fileName?, width?, height?, duration?, voiceNote?, thumbnail? }
// with key, digest and thumbnail as bytes.
function decodePointer(node) {
  const { blob, size, contentType } = node;
  if (typeof blob !== 'string' || !BLOB_ID.test(blob)) {
    throw malformed('an attachment names its blob by an id of 16 to 64 base64url characters');
  }
  const key = base64Field(node.key, 32, 32, 'key');
  if (!Number.isInteger(size) || size < 0 || size > MAX_ATTACHMENT_SIZE) {
    throw malformed(`an attachment's size is 0 to ${MAX_ATTACHMENT_SIZE} bytes`);
  }
  const digest = base64Field(node.digest, 32, 32, 'digest');
  if (typeof contentType !== 'string' || contentType.length > ContentLimits.MAX_CONTENT_TYPE_CHARS ||
      !MEDIA_TYPE.test(contentType)) {
    throw malformed('an attachment\'s content type is a media type such as image/jpeg');
  }
  const pointer = { blob, key, size, digest, contentType };
  if (node.fileName !== undefined) {
    if (!isFileName(node.fileName)) {
      throw malformed(`an attachment's file name is 1 to ${ContentLimits.MAX_FILE_NAME_CHARS} characters, ` +
        'no control character, no / or \\, not . or ..');
    }
    pointer.fileName = node.fileName;
  }
  if (node.width !== undefined || node.height !== undefined) {
    const dimension = (n) => Number.isInteger(n) && n >= 1 && n <= ContentLimits.MAX_DIMENSION;
    if (!dimension(node.width) || !dimension(node.height)) {
      throw malformed(`an attachment has a width and a height of 1 to ${ContentLimits.MAX_DIMENSION}, or neither`);
    }
    Object.assign(pointer, { width: node.width, height: node.height });
  }
  if (node.duration !== undefined) {
    if (!Number.isInteger(node.duration) || node.duration < 0 || node.duration > ContentLimits.MAX_DURATION_MS) {
      throw malformed(`an attachment's duration is 0 to ${ContentLimits.MAX_DURATION_MS} ms`);
    }
    pointer.duration = node.duration;
  }
  if (node.voiceNote !== undefined) {
    if (typeof node.voiceNote !== 'boolean') throw malformed('voiceNote is true or false');
    if (node.voiceNote) pointer.voiceNote = true;
  }
  if (node.thumbnail !== undefined) {
    pointer.thumbnail = base64Field(node.thumbnail, 1, ContentLimits.MAX_THUMBNAIL_BYTES, 'thumbnail');
  }
  return pointer;
}

// {"type":"attachment", ...pointer, "caption"?, "ts", "quote"?}: a file, photo or voice note; the
// file itself is the blob the pointer names, encrypted (docs/protocol.md, 8a).
function decodeAttachment(node, peer) {
  const attachment = decodePointer(node);
  if (node.caption !== undefined && typeof node.caption !== 'string') throw malformed('an attachment\'s caption is text');
  requireTime(node.ts, 'attachment');
  const decoded = { attachment, ts: node.ts, peer };
  if (node.caption !== undefined) decoded.caption = node.caption;
  if (node.quote !== undefined) decoded.quote = decodeQuote(node.quote);
  return decoded;
}

// The pointer's fields, in the order of docs/protocol.md, as the Java client writes them.
function pointerFields({ blob, key, size, digest, contentType, fileName, width, height, duration, voiceNote, thumbnail }) {
  const fields = { blob, key: toBase64(key), size, digest: toBase64(digest), contentType };
  if (fileName !== undefined) fields.fileName = fileName;
  if (width !== undefined) Object.assign(fields, { width, height });
  if (duration !== undefined) fields.duration = duration;
  if (voiceNote) fields.voiceNote = true;
  if (thumbnail !== undefined) fields.thumbnail = toBase64(thumbnail);
  return fields;
}

// An attachment content; keys as the Java client writes them.
export function encodeAttachment({ attachment, caption, ts, quote, peer }) {
  const content = { v: CONTENT_VERSION, type: ATTACHMENT, ...pointerFields(attachment) };
  if (caption !== undefined) content.caption = caption;
  content.ts = ts;
  if (quote !== undefined) content.quote = { id: quote.id, author: quote.author, body: quote.body };
  if (peer !== undefined && peer !== null) content.peer = peer;
  const encoded = utf8(JSON.stringify(content));
  decodeContent(encoded); // never send what a receiver would refuse
  return encoded;
}

// {"v":1,"type":"history","part","parts","messages":[...],"profiles"?:[...]}: the primary's recent
// chats, sent to a new companion alone (docs/linking.md); parts are numbered 1..parts. profiles:
// the names of the account and of the people the part's texts name.
function decodeHistory({ part, parts, messages, profiles }) {
  if (!Number.isInteger(parts) || parts < 1 || parts > MAX_HISTORY_PARTS || !Number.isInteger(part) || part < 1 ||
    part > parts) {
    throw malformed('a history part is numbered 1..parts');
  }
  if (!Array.isArray(messages) || messages.length > MAX_HISTORY_MESSAGES) {
    throw malformed(`a history part holds a list of at most ${MAX_HISTORY_MESSAGES} texts`);
  }
  return { part, parts, messages: messages.map(decodeHistoryEntry), profiles: decodeHistoryProfiles(profiles) };
}

const SENT_STATUSES = ['sent', 'delivered', 'read'];
const RECEIVED_STATUSES = ['unread', 'read'];

// One text of the primary's history as the primary shows it: {"id","peer","from","fromDevice",
// "outgoing","body","ts","status"?,"quote"?,"editedAt"?,"deleted"?,"attachment"?,"reactions"?}. Decodes to those
// fields with status and reactions always there (a sent text is "sent", a received one "read",
// unless the part says otherwise).
function decodeHistoryEntry(entry) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw malformed('a history entry is not an object');
  }
  const { peer, from, fromDevice, outgoing, body, ts, id } = entry;
  const valid = isE164(peer) && isE164(from) && Number.isInteger(fromDevice) && fromDevice >= 1 &&
    fromDevice <= MAX_DEVICE_ID && typeof outgoing === 'boolean' && typeof body === 'string' && isTime(ts) &&
    typeof id === 'string' && MESSAGE_ID_HEX.test(id);
  if (!valid) throw malformed('a history entry lacks a field or has a bad one');
  const decoded = { id, peer, from, fromDevice, outgoing, body, ts, status: historyStatus(entry.status, outgoing) };
  if (entry.quote !== undefined) decoded.quote = decodeQuote(entry.quote);
  if (entry.editedAt !== undefined) {
    if (!isTime(entry.editedAt) || entry.editedAt < 1) throw malformed('a text of the history was edited at no time');
    decoded.editedAt = entry.editedAt;
  }
  if (entry.deleted !== undefined && typeof entry.deleted !== 'boolean') {
    throw malformed('a text of the history is deleted or not');
  }
  if (entry.attachment !== undefined) {
    if (entry.attachment === null || typeof entry.attachment !== 'object') throw malformed('a history file is an object');
    decoded.attachment = decodePointer(entry.attachment);
  }
  if (entry.deleted) {
    if (body !== '' || decoded.quote || decoded.attachment || entry.reactions !== undefined) {
      throw malformed('a deleted text of the history keeps no text, quote, file or reaction');
    }
    decoded.deleted = true;
  }
  decoded.reactions = decodeHistoryReactions(entry.reactions);
  return decoded;
}

function historyStatus(status, outgoing) {
  if (status === undefined) return outgoing ? 'sent' : 'read';
  const allowed = outgoing ? SENT_STATUSES : RECEIVED_STATUSES;
  if (!allowed.includes(status)) throw malformed(`the status of a text of the history is one of ${allowed.join(', ')}`);
  return status;
}

function decodeHistoryReactions(reactions) {
  if (reactions === undefined) return [];
  if (!Array.isArray(reactions) || reactions.length > MAX_HISTORY_REACTIONS) {
    throw malformed(`a text of the history has a list of at most ${MAX_HISTORY_REACTIONS} reactions`);
  }
  return reactions.map((reaction) => {
    const { from, emoji, ts } = reaction ?? {};
    if (!isE164(from) || !isReactionEmoji(emoji) || emoji === '' || !isTime(ts)) {
      throw malformed('a reaction of the history is a number, one emoji and a time');
    }
    return { from, emoji, ts };
  });
}

function decodeHistoryProfiles(profiles) {
  if (profiles === undefined) return [];
  if (!Array.isArray(profiles) || profiles.length > MAX_HISTORY_PROFILES) {
    throw malformed(`a history part has a list of at most ${MAX_HISTORY_PROFILES} names`);
  }
  const numbers = new Set();
  return profiles.map((profile) => {
    const { number, name, ts } = profile ?? {};
    if (!isE164(number) || !isProfileName(name) || !isTime(ts) || numbers.has(number)) {
      throw malformed('a name of the history is a number (each once), a profile name and a time');
    }
    numbers.add(number);
    return { number, name, ts };
  });
}

// The registry: every content type this client reads, by its wire name.
export const CONTENT_TYPES = Object.freeze({
  TEXT: Object.freeze({ type: 'text', decode: decodeText }),
  HISTORY: Object.freeze({ type: 'history', decode: decodeHistory }),
  REACTION: Object.freeze({ type: 'reaction', decode: decodeReaction }),
  EDIT: Object.freeze({ type: 'edit', decode: decodeEdit }),
  DELETE: Object.freeze({ type: 'delete', decode: decodeDelete }),
  DELETE_FOR_ME: Object.freeze({ type: 'delete-for-me', decode: decodeDeleteForMe }),
  READ: Object.freeze({ type: 'read', decode: decodeRead }),
  TYPING: Object.freeze({ type: 'typing', decode: decodeTyping }),
  PROFILE: Object.freeze({ type: 'profile', decode: decodeProfile }),
  SETTINGS: Object.freeze({ type: 'settings', decode: decodeSettings }),
  ATTACHMENT: Object.freeze({ type: 'attachment', decode: decodeAttachment }),
});
const BY_NAME = new Map(Object.values(CONTENT_TYPES).map((t) => [t.type, t]));

export const TEXT = CONTENT_TYPES.TEXT.type;
export const HISTORY = CONTENT_TYPES.HISTORY.type;
export const REACTION = CONTENT_TYPES.REACTION.type;
export const EDIT = CONTENT_TYPES.EDIT.type;
export const DELETE = CONTENT_TYPES.DELETE.type;
export const DELETE_FOR_ME = CONTENT_TYPES.DELETE_FOR_ME.type;
export const READ = CONTENT_TYPES.READ.type;
export const TYPING = CONTENT_TYPES.TYPING.type;
export const PROFILE = CONTENT_TYPES.PROFILE.type;
export const SETTINGS = CONTENT_TYPES.SETTINGS.type;
export const ATTACHMENT = CONTENT_TYPES.ATTACHMENT.type;

// Decodes a plaintext into { type, ...its type's fields } (peer among them where the type is
// shown in a conversation); a type this client does not know
// (a later client's) becomes { type, peer, unknown: true }, to be acknowledged and shown as a
// message that needs a newer version. Refuses with MALFORMED or UNSUPPORTED_VERSION.
export function decodeContent(plaintext) {
  let content;
  try {
    content = JSON.parse(fromUtf8(plaintext));
  } catch {
    throw malformed('the message is not UTF-8 JSON');
  }
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    throw malformed('the message is not a JSON object');
  }
  if (content.v !== CONTENT_VERSION) {
    throw new ProtocolError(ErrorCode.UNSUPPORTED_VERSION, `message content version ${content.v}`);
  }
  if (typeof content.type !== 'string' || content.type === '') throw malformed('the message has no type');
  if (content.peer !== undefined && !isE164(content.peer)) {
    throw malformed('the message names a peer that is not a number');
  }
  const peer = content.peer ?? null;
  const known = BY_NAME.get(content.type);
  if (!known) return { type: content.type, peer, unknown: true };
  return { type: content.type, ...known.decode(content, peer) };
}

// Keys in the order the Java client writes them.
export function encodeText(body, ts, peer, quote) {
  const content = { v: CONTENT_VERSION, type: TEXT, body, ts };
  if (quote !== undefined) content.quote = { id: quote.id, author: quote.author, body: quote.body };
  if (peer !== undefined) content.peer = peer;
  return utf8(JSON.stringify(content));
}

// Any content but a text or a history part, from its decoded shape ({ type, ...fields, peer? }):
// keys in the order of docs/protocol.md's table, as the Java client writes them, peer last (the
// fixture's valid contents are written so, and encode back to themselves).
const FIELDS = {
  reaction: ['target', 'emoji', 'ts'],
  edit: ['target', 'body', 'ts'],
  delete: ['target', 'ts'],
  'delete-for-me': ['targets', 'ts'],
  read: ['targets', 'ts'],
  typing: ['typing', 'ts'],
  profile: ['name', 'ts'],
  settings: ['readReceipts', 'ts'],
};

export function encodeContent({ type, peer, ...fields }) {
  const names = FIELDS[type];
  if (!names) throw new TypeError(`no encoder for content type ${type}`);
  const content = { v: CONTENT_VERSION, type };
  for (const name of names) content[name] = fields[name];
  if (peer !== undefined && peer !== null) content.peer = peer;
  const encoded = utf8(JSON.stringify(content));
  decodeContent(encoded); // never send what a receiver would refuse
  return encoded;
}

// One history part, keys in the order the Java client writes them (HistoryPart.encode).
export function encodeHistoryPart({ part, parts, messages, profiles = [] }) {
  const content = { v: CONTENT_VERSION, type: HISTORY, part, parts, messages: messages.map(historyEntry) };
  if (profiles.length > 0) content.profiles = profiles.map(({ number, name, ts }) => ({ number, name, ts }));
  return utf8(JSON.stringify(content));
}

// A text with what the primary shows of it; a quote, edit, deletion or reaction only where there is one.
function historyEntry({ id, peer, from, fromDevice, outgoing, body, ts, status, quote, editedAt, deleted, attachment, reactions }) {
  const entry = { id, peer, from, fromDevice, outgoing, body: deleted ? '' : body, ts, status: historyStatus(status, outgoing) };
  if (quote) entry.quote = { id: quote.id, author: quote.author, body: quote.body };
  if (editedAt) entry.editedAt = editedAt;
  if (deleted) entry.deleted = true;
  if (attachment) entry.attachment = pointerFields(attachment);
  if (reactions?.length > 0) entry.reactions = reactions.map((r) => ({ from: r.from, emoji: r.emoji, ts: r.ts }));
  return entry;
}

// The part's own fields around its texts and names, with room for the largest part numbers.
const HISTORY_FRAME_BYTES = 96;

const jsonLength = (value) => utf8(JSON.stringify(value)).length;

// The texts (as decodeHistoryEntry gives them, oldest first) cut into parts, in order, the twin
// of HistoryPart.split: at most MAX_HISTORY_MESSAGES a part and no part larger than a message may
// be. Every part carries the names `known` ({ number: { name, ts } }) holds of the account (self)
// and of the numbers its texts go to and come from. A text too long to travel in a part of its own
// is left out. Always at least one part, even with no texts, so that the companion learns that
// its history is complete.
export function splitHistory(texts, self, known = {}) {
  const groups = [];
  let group = new HistoryGroup(self, known);
  for (const text of texts) {
    // The text's JSON and the comma before it.
    const length = jsonLength(historyEntry(text)) + 1;
    if (!new HistoryGroup(self, known).fits(text, length)) continue;
    if (!group.fits(text, length)) {
      groups.push(group);
      group = new HistoryGroup(self, known);
    }
    group.add(text, length);
  }
  groups.push(group);
  return groups.map((g, i) => ({ part: i + 1, parts: groups.length, messages: g.texts, profiles: g.profiles }));
}

// The texts of one part being filled, the names they need, and its size in bytes.
class HistoryGroup {
  texts = [];
  profiles = [];
  #known;
  #size = HISTORY_FRAME_BYTES;

  constructor(self, known) {
    this.#known = known;
    this.#size += this.#namesLength([self], true);
  }

  fits(text, length) {
    return this.texts.length < MAX_HISTORY_MESSAGES &&
      this.#size + length + this.#namesLength([text.peer, text.from], false) <= MAX_PLAINTEXT;
  }

  add(text, length) {
    this.#size += length + this.#namesLength([text.peer, text.from], true);
    this.texts.push(text);
  }

  // The bytes of the names of `numbers` this part lacks; take adds them to it.
  #namesLength(numbers, take) {
    let length = 0;
    for (const number of new Set(numbers)) {
      const name = this.#known[number];
      if (!name || this.profiles.some((p) => p.number === number)) continue;
      const profile = { number, name: name.name, ts: name.ts };
      length += jsonLength(profile) + 1;
      if (take) this.profiles.push(profile);
    }
    return length;
  }
}

// The plaintext a text becomes, the longer of its two copies; over MAX_PLAINTEXT it cannot be sent.
export function textFits(body, ts, peer, quote) {
  return encodeText(body, ts, peer, quote).length <= MAX_PLAINTEXT;
}
