// Files, photos and voice notes (docs/protocol.md, 8a, and content `attachment`), the twin of the
// Java client's Attachments: a file is encrypted under a new key into a blob, chunk by chunk (a file
// is never held in memory as plaintext and ciphertext at once beyond a chunk), the blob uploaded
// with tus (tus-js-client, from npm, which goes on from the relay's offset when a part fails), and
// a message with the key and the blob's id sent as a text is. A received file is downloaded as a
// stream, going on with a Range where a download broke off, decrypted as its chunks come and
// checked against its SHA-256 before it is shown.

import '../../vendor/tus/tus.min.js';
import { AttachmentCipher, AttachmentDecryptor, encryptAttachment } from '../protocol/attachment.js';
import { ContentLimits } from './content.js';
import { ClientError, ClientErrorCode, RelayError } from './errors.js';

// The bytes of one upload request: a part that breaks off costs at most this much again.
const PART_BYTES = 4 * 1024 * 1024;
// Waits before the tries after a failed part; then the upload fails (and can be retried).
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000];
// Downloads that fail in a row, with no byte gained, before giving up.
const DOWNLOAD_TRIES = 5;

const tus = () => globalThis.tus;

// Encrypts a file (a Blob or File) into its blob; resolves to { blob, key, digest, size }.
export async function sealFile(file, source) {
  const key = await source.bytes(32);
  const cipher = await AttachmentCipher.create(key);
  const sealed = [];
  const digest = await encryptAttachment(cipher, file.size,
    async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
    async (chunk) => { sealed.push(chunk); });
  return { blob: new Blob(sealed), key, digest, size: file.size };
}

// Uploads a blob; resolves to its id on the relay. onProgress(done, total) follows the bytes sent.
export function uploadBlob({ api, auth }, blob, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const upload = new (tus().Upload)(blob, {
      endpoint: api.url('/v1/blobs'),
      chunkSize: PART_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      // Each request carries a token that is valid now (a large upload outlives one).
      onBeforeRequest: async (request) => {
        request.setHeader('Authorization', `Bearer ${await auth.token()}`);
      },
      // A blob is new each time (a new key): nothing to resume across page loads.
      storeFingerprintForResuming: false,
      onProgress: (done, total) => onProgress(done, total),
      onError: (error) => reject(relayRefusal(error)),
      onSuccess: () => {
        const id = new URL(upload.url).pathname.split('/').pop();
        resolve(id);
      },
    });
    upload.start();
  });
}

// What a failed upload was: the relay's refusal (TOO_LARGE, OVER_QUOTA, ...) where it answered one,
// else a relay out of reach.
function relayRefusal(error) {
  const response = error?.originalResponse;
  const status = response?.getStatus?.();
  if (!status) return new ClientError(ClientErrorCode.UNREACHABLE, 'the relay could not be reached to upload the file');
  let answer = null;
  try {
    answer = JSON.parse(response.getBody());
  } catch {
    // Not JSON: the status says it.
  }
  return new RelayError(status, answer?.error ?? `HTTP_${status}`, answer?.message ?? `HTTP ${status}`);
}

// Downloads and decrypts the file a pointer names; resolves to a Blob of its type. onProgress(done,
// total) follows the blob's bytes. AUTH_FAILED for a blob that is not the file described.
export async function downloadFile({ api, auth }, pointer, onProgress = () => {}) {
  const cipher = await AttachmentCipher.create(pointer.key);
  const decryptor = new AttachmentDecryptor(cipher, pointer.size, pointer.digest);
  const parts = [];
  let received = 0;
  let failures = 0;
  for (;;) {
    try {
      const response = await api.download(`/v1/blobs/${pointer.blob}`, { token: await auth.token(), from: received });
      if (received > 0 && response.status !== 206) {
        throw new Error('the relay answered a range with the whole attachment');
      }
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
        failures = 0;
        parts.push(...(await decryptor.push(value)));
        onProgress(received, response.headers.get('content-range')
          ? Number(response.headers.get('content-range').split('/')[1]) : received + Number(response.headers.get('content-length') ?? 0));
      }
      await decryptor.end();
      return new Blob(parts, { type: pointer.contentType });
    } catch (error) {
      if (error?.code === 'AUTH_FAILED' || error?.status === 404 || ++failures >= DOWNLOAD_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

// A photo's size in pixels and a JPEG thumbnail of at most MAX_THUMBNAIL_BYTES, or null for a file
// the browser cannot decode as an image.
export async function imagePreview(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  const { width, height } = bitmap;
  let thumbnail;
  for (const side of [96, 64, 48, 32]) {
    const scale = Math.min(1, side / Math.max(width, height));
    const canvas = new OffscreenCanvas(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.7, 0.5, 0.3]) {
      const jpeg = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality })).arrayBuffer());
      if (jpeg.length <= ContentLimits.MAX_THUMBNAIL_BYTES) {
        thumbnail = jpeg;
        break;
      }
    }
    if (thumbnail) break;
  }
  bitmap.close();
  if (width > ContentLimits.MAX_DIMENSION || height > ContentLimits.MAX_DIMENSION) return null;
  return thumbnail ? { width, height, thumbnail } : { width, height };
}
