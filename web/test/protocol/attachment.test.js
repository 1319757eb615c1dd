// attachments.json: the encryption of attachments (section 8a), in chunks, as the Java twin does it.
import { bytesEqual, equal, fromHex, ok, rejects } from '../assert.js';
import {
  AttachmentCipher, AttachmentDecryptor, blobSize, chunkCount, encryptAttachment, paddedSize,
} from '../../../static/js/protocol/attachment.js';
import { ATTACHMENT_CHUNK_SIZE } from '../../../static/js/protocol/limits.js';
import { concat } from '../../../static/js/protocol/bytes.js';

const SEALED = ATTACHMENT_CHUNK_SIZE + 16;

// The fixture's file of `size` bytes: byte i is (31 i + 7) mod 256.
function file(size) {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (31 * i + 7) & 0xff;
  return out;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

async function encrypt(key, plaintext) {
  const cipher = await AttachmentCipher.create(key);
  const chunks = [];
  const digest = await encryptAttachment(cipher, plaintext.length,
    async (offset, length) => plaintext.subarray(offset, offset + length), async (sealed) => { chunks.push(sealed); });
  return { blob: concat(...chunks), digest, cipher };
}

// Feeds the blob in pieces of `piece` bytes; resolves to the file.
async function decrypt(cipher, size, digest, blob, piece = 10_000) {
  const decryptor = new AttachmentDecryptor(cipher, size, digest);
  const out = [];
  for (let at = 0; at < blob.length; at += piece) out.push(...(await decryptor.push(blob.subarray(at, at + piece))));
  await decryptor.end();
  return concat(...out);
}

// The change the fixture names: flip [offset, mask], swap [chunk, chunk], drop chunk, truncate length, append hex.
function apply(change, blob) {
  if (change.flip) {
    const out = blob.slice();
    out[change.flip[0]] ^= change.flip[1];
    return out;
  }
  if (change.swap) {
    const [a, b] = change.swap;
    const out = blob.slice();
    out.set(blob.subarray(b * SEALED, (b + 1) * SEALED), a * SEALED);
    out.set(blob.subarray(a * SEALED, (a + 1) * SEALED), b * SEALED);
    return out;
  }
  if (change.drop !== undefined) return concat(blob.subarray(0, change.drop * SEALED), blob.subarray((change.drop + 1) * SEALED));
  if (change.truncate !== undefined) return blob.slice(0, change.truncate);
  if (change.append) return concat(blob, fromHex(change.append));
  return blob;
}

export const tests = [
  ['attachments.json: every size goes to its bucket, its chunks and its blob size', async (ctx) => {
    const v = await ctx.vector('attachments');
    equal(v.chunkSize, ATTACHMENT_CHUNK_SIZE);
    for (const c of v.sizes) {
      equal(paddedSize(c.size), c.paddedSize, `padded ${c.size}`);
      equal(chunkCount(c.size), c.chunks, `chunks ${c.size}`);
      equal(blobSize(c.size), c.blobSize, `blob ${c.size}`);
    }
  }],

  ['attachments.json: every file encrypts to its blob from its key, and back in pieces of any size', async (ctx) => {
    const v = await ctx.vector('attachments');
    for (const c of v.files) {
      const plaintext = file(c.size);
      const { blob, digest, cipher } = await encrypt(fromHex(c.key), plaintext);
      bytesEqual(digest, fromHex(c.digest), `${c.name}: digest`);
      equal(blob.length, c.blobSize, c.name);
      bytesEqual(await sha256(blob), fromHex(c.blobSha256), c.name);
      bytesEqual(blob.subarray(0, 48), fromHex(c.firstChunkHead), c.name);
      if (c.blob) bytesEqual(blob, fromHex(c.blob), c.name);
      for (const piece of [1000, 65_552, blob.length]) {
        bytesEqual(await decrypt(cipher, c.size, digest, blob, piece), plaintext, `${c.name}, pieces of ${piece}`);
      }
    }
  }],

  ['attachments.json: every changed blob is refused with its code', async (ctx) => {
    const v = await ctx.vector('attachments');
    ok(v.changed.length > 0, 'changed blobs');
    for (const c of v.changed) {
      const original = v.files[c.file];
      const { blob, cipher } = await encrypt(fromHex(original.key), file(original.size));
      const digest = fromHex(c.change.digest ?? original.digest);
      await rejects(decrypt(cipher, original.size, digest, apply(c.change, blob)), c.error, c.name);
    }
  }],

  ['a key that is not 32 bytes is refused', async () => {
    await rejects(AttachmentCipher.create(new Uint8Array(31)), 'INVALID_KEY');
  }],
];
