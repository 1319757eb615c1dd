// The encryption of an attachment (docs/protocol.md, section 8a), the twin of AttachmentCipher.java:
// a random 32-byte file key per file; from it, with HKDF, an AES-256 key and an 8-byte nonce
// prefix. The file is padded with zeros to its size bucket, cut into chunks of
// ATTACHMENT_CHUNK_SIZE bytes, and each chunk sealed with AES-256-GCM under the nonce
// prefix || u32 index and the associated data u32 index || u8 last, so that a chunk moved, dropped,
// cut short, added or changed fails to open. The blob is the sealed chunks one after the other.
// WebCrypto seals whole buffers only, hence the chunks: a file is never held twice in memory.
// The file's SHA-256 (`digest`), which travels in the message, is hashed as the chunks go by
// (WebCrypto cannot hash a stream; @noble/hashes, from npm, can).

import { sha256 as sha256Stream } from '../../vendor/noble-hashes/sha2.js';
import { concat, u32 } from './bytes.js';
import { ErrorCode, ProtocolError } from './errors.js';
import { ATTACHMENT_CHUNK_SIZE, MAX_ATTACHMENT_SIZE } from './limits.js';
import { GCM_TAG_LENGTH, hkdf } from './primitives.js';

export const ATTACHMENT_KEY_LENGTH = 32;
export const ATTACHMENT_DIGEST_LENGTH = 32;
// The smallest size bucket: a few words and a large photo of the same bucket say as little.
export const MIN_PADDED_SIZE = 1024;
// A size keeps this many leading bits when it is rounded up to its bucket (at most 1/16 more).
const BUCKET_BITS = 5;
const NONCE_PREFIX_LENGTH = 8;
const SALT = new Uint8Array(32);
const INFO = new TextEncoder().encode('Quintet v1 attachment');
const subtle = globalThis.crypto.subtle;

function integrity(detail) {
  return new ProtocolError(ErrorCode.AUTH_FAILED, detail);
}

function requireSize(size) {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ATTACHMENT_SIZE) {
    throw new RangeError(`an attachment is 0 to ${MAX_ATTACHMENT_SIZE} bytes`);
  }
}

// The size a file of `size` bytes is padded to: its bucket, at least MIN_PADDED_SIZE.
export function paddedSize(size) {
  requireSize(size);
  if (size <= MIN_PADDED_SIZE) return MIN_PADDED_SIZE;
  const bits = size.toString(2).length;
  const step = 2 ** Math.max(0, bits - BUCKET_BITS);
  return Math.ceil(size / step) * step;
}

export function chunkCount(size) {
  return Math.ceil(paddedSize(size) / ATTACHMENT_CHUNK_SIZE);
}

// The size of the blob of a file of `size` bytes: the padded file and a tag a chunk.
export function blobSize(size) {
  return paddedSize(size) + chunkCount(size) * GCM_TAG_LENGTH;
}

// The plaintext length of chunk `index` of a file of `size` bytes.
function chunkLength(size, index) {
  return Math.min(ATTACHMENT_CHUNK_SIZE, paddedSize(size) - index * ATTACHMENT_CHUNK_SIZE);
}

export class AttachmentCipher {
  #key;
  #noncePrefix;

  constructor(key, noncePrefix) {
    this.#key = key;
    this.#noncePrefix = noncePrefix;
  }

  static async create(fileKey) {
    if (!(fileKey instanceof Uint8Array) || fileKey.length !== ATTACHMENT_KEY_LENGTH) {
      throw new ProtocolError(ErrorCode.INVALID_KEY, `an attachment key is ${ATTACHMENT_KEY_LENGTH} bytes`);
    }
    const derived = await hkdf(SALT, fileKey, INFO, 32 + NONCE_PREFIX_LENGTH);
    const key = await subtle.importKey('raw', derived.subarray(0, 32), 'AES-GCM', false, ['encrypt', 'decrypt']);
    return new AttachmentCipher(key, derived.slice(32));
  }

  #params(index, last) {
    return {
      name: 'AES-GCM',
      iv: concat(this.#noncePrefix, u32(index)),
      additionalData: concat(u32(index), Uint8Array.of(last ? 1 : 0)),
      tagLength: GCM_TAG_LENGTH * 8,
    };
  }

  async sealChunk(index, last, plaintext) {
    return new Uint8Array(await subtle.encrypt(this.#params(index, last), this.#key, plaintext));
  }

  async openChunk(index, last, sealed) {
    try {
      return new Uint8Array(await subtle.decrypt(this.#params(index, last), this.#key, sealed));
    } catch {
      throw integrity(`chunk ${index} of the attachment did not authenticate`);
    }
  }
}

// Encrypts a file of `size` bytes, read by readFile(offset, length) -> Uint8Array (a File's
// slices, say), chunk by chunk: onChunk(sealed, index) takes each sealed chunk in order (to upload
// or keep). Resolves to the file's SHA-256.
export async function encryptAttachment(cipher, size, readFile, onChunk) {
  const chunks = chunkCount(size);
  const digest = sha256Stream.create();
  for (let index = 0; index < chunks; index++) {
    const chunk = new Uint8Array(chunkLength(size, index));
    const offset = index * ATTACHMENT_CHUNK_SIZE;
    const fromFile = Math.max(0, Math.min(chunk.length, size - offset));
    if (fromFile > 0) {
      const read = await readFile(offset, fromFile);
      if (read.length !== fromFile) throw new RangeError(`the file ended before its ${size} bytes`);
      chunk.set(read);
      digest.update(read);
    }
    await onChunk(await cipher.sealChunk(index, index === chunks - 1, chunk), index);
  }
  return digest.digest();
}

// Decrypts a blob that comes in pieces of any length (a download's), chunk by chunk: push() each
// piece in order, and it resolves to the file's bytes it completed (the padding left out); end()
// checks that the blob ended with its last chunk and that the file has the SHA-256 `digest`.
// AUTH_FAILED for a blob that is not the one sealed, or a file of another digest: what came out
// before then is to be thrown away.
export class AttachmentDecryptor {
  #cipher;
  #size;
  #digest;
  #hash = sha256Stream.create();
  #chunks;
  #index = 0;
  #written = 0;
  #pending = [];
  #pendingLength = 0;

  constructor(cipher, size, digest) {
    this.#cipher = cipher;
    this.#size = size;
    this.#digest = digest;
    this.#chunks = chunkCount(size);
  }

  // Resolves to the file's bytes that the piece completed, in order (maybe none).
  async push(piece) {
    this.#pending.push(piece);
    this.#pendingLength += piece.length;
    const out = [];
    while (this.#index < this.#chunks) {
      const sealedLength = chunkLength(this.#size, this.#index) + GCM_TAG_LENGTH;
      if (this.#pendingLength < sealedLength) break;
      const sealed = this.#take(sealedLength);
      const chunk = await this.#cipher.openChunk(this.#index, this.#index === this.#chunks - 1, sealed);
      const toFile = chunk.subarray(0, Math.min(chunk.length, this.#size - this.#written));
      this.#hash.update(toFile);
      this.#written += toFile.length;
      this.#index++;
      if (toFile.length > 0) out.push(toFile);
    }
    if (this.#index === this.#chunks && this.#pendingLength > 0) {
      throw integrity('the attachment goes on after its last chunk');
    }
    return out;
  }

  async end() {
    if (this.#index < this.#chunks) {
      throw integrity(`the attachment ends in chunk ${this.#index} of ${this.#chunks}`);
    }
    const digest = this.#hash.digest();
    if (digest.length !== this.#digest.length || digest.some((b, i) => b !== this.#digest[i])) {
      throw integrity('the attachment is not the file its message describes (another SHA-256)');
    }
  }

  #take(length) {
    const joined = this.#pending.length === 1 ? this.#pending[0] : concat(...this.#pending);
    this.#pending = joined.length > length ? [joined.subarray(length)] : [];
    this.#pendingLength = joined.length - length;
    return joined.subarray(0, length);
  }
}
