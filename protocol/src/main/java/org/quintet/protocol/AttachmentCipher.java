package org.quintet.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The encryption of an attachment (docs/protocol.md, section 8a): a random 32-byte file key per
 * file; from it, with HKDF, an AES-256 key and an 8-byte nonce prefix. The file is padded with
 * zeros to its size bucket ({@link #paddedSize}), cut into chunks of
 * {@link Limits#ATTACHMENT_CHUNK_SIZE} bytes, and each chunk sealed with AES-256-GCM under the
 * nonce {@code prefix || u32 index} and the associated data {@code u32 index || u8 last}, so that
 * a chunk moved, dropped, cut short, added or changed fails to open. The blob is the sealed chunks
 * one after the other. The file's SHA-256 ({@code digest}) travels in the message with the key and
 * the size; the receiver checks it once the last chunk is open. The twin of
 * {@code static/js/protocol/attachment.js}.
 */
public final class AttachmentCipher {
  public static final int KEY_LENGTH = 32;
  public static final int DIGEST_LENGTH = 32;
  /** The smallest size bucket: a few words and a large photo of the same bucket say as little. */
  public static final int MIN_PADDED_SIZE = 1024;
  /** A size keeps this many leading bits when it is rounded up to its bucket (at most 1/16 more). */
  private static final int BUCKET_BITS = 5;
  private static final int NONCE_PREFIX_LENGTH = 8;
  private static final byte[] SALT = new byte[32];
  private static final String INFO = "Quintet v1 attachment";

  private final byte[] aesKey;
  private final byte[] noncePrefix;

  public AttachmentCipher(byte[] fileKey) throws ProtocolException {
    if (fileKey == null || fileKey.length != KEY_LENGTH) {
      throw new ProtocolException(ProtocolError.INVALID_KEY, "an attachment key is " + KEY_LENGTH + " bytes");
    }
    byte[] derived = Crypto.hkdf(SALT, fileKey, INFO, 32 + NONCE_PREFIX_LENGTH);
    this.aesKey = Arrays.copyOfRange(derived, 0, 32);
    this.noncePrefix = Arrays.copyOfRange(derived, 32, derived.length);
  }

  /** The size a file of {@code size} bytes is padded to: its bucket, at least {@link #MIN_PADDED_SIZE}. */
  public static long paddedSize(long size) {
    requireSize(size);
    if (size <= MIN_PADDED_SIZE) {
      return MIN_PADDED_SIZE;
    }
    int bits = 64 - Long.numberOfLeadingZeros(size);
    long step = 1L << Math.max(0, bits - BUCKET_BITS);
    return (size + step - 1) / step * step;
  }

  /** How many chunks the blob of a file of {@code size} bytes has. */
  public static int chunkCount(long size) {
    return (int) ((paddedSize(size) + Limits.ATTACHMENT_CHUNK_SIZE - 1) / Limits.ATTACHMENT_CHUNK_SIZE);
  }

  /** The size of the blob of a file of {@code size} bytes: the padded file and a tag a chunk. */
  public static long blobSize(long size) {
    return paddedSize(size) + (long) chunkCount(size) * Crypto.GCM_TAG_LENGTH;
  }

  private static void requireSize(long size) {
    if (size < 0 || size > Limits.MAX_ATTACHMENT_SIZE) {
      throw new IllegalArgumentException("an attachment is 0 to " + Limits.MAX_ATTACHMENT_SIZE + " bytes");
    }
  }

  public byte[] sealChunk(int index, boolean last, byte[] plaintext) {
    return Crypto.gcmSeal(aesKey, nonce(index), plaintext, associatedData(index, last));
  }

  public byte[] openChunk(int index, boolean last, byte[] sealed) throws ProtocolException {
    try {
      return Crypto.gcmOpen(aesKey, nonce(index), sealed, associatedData(index, last));
    } catch (ProtocolException e) {
      throw integrity("chunk " + index + " of the attachment did not authenticate");
    }
  }

  private byte[] nonce(int index) {
    return Bytes.concat(noncePrefix, Bytes.u32(Integer.toUnsignedLong(index)));
  }

  private static byte[] associatedData(int index, boolean last) {
    return Bytes.concat(Bytes.u32(Integer.toUnsignedLong(index)), new byte[] {(byte) (last ? 1 : 0)});
  }

  /**
   * Encrypts the {@code size} bytes {@code file} holds into {@code blob} ({@link #blobSize} bytes).
   * Answers the file's SHA-256. An {@link EOFException} when the file ends early.
   */
  public byte[] encrypt(InputStream file, long size, OutputStream blob) throws IOException {
    long padded = paddedSize(size);
    int chunks = chunkCount(size);
    MessageDigest digest = Crypto.digest("SHA-256");
    long read = 0;
    for (int index = 0; index < chunks; index++) {
      int length = (int) Math.min(Limits.ATTACHMENT_CHUNK_SIZE, padded - (long) index * Limits.ATTACHMENT_CHUNK_SIZE);
      byte[] chunk = new byte[length];
      int fromFile = (int) Math.max(0, Math.min(length, size - read));
      if (file.readNBytes(chunk, 0, fromFile) != fromFile) {
        throw new EOFException("the file ended after " + (read + fromFile) + " of its " + size + " bytes");
      }
      digest.update(chunk, 0, fromFile);
      read += fromFile;
      blob.write(sealChunk(index, index == chunks - 1, chunk));
    }
    return digest.digest();
  }

  /**
   * Decrypts the blob of a file of {@code size} bytes into {@code file}, chunk by chunk, and checks
   * the file's SHA-256 against {@code digest}. {@code AUTH_FAILED} for a blob that is not the one
   * sealed (a chunk changed, moved, missing or added, the blob cut short or longer) or a file of
   * another digest; what was written before then is to be thrown away.
   */
  public void decrypt(InputStream blob, long size, byte[] digest, OutputStream file)
      throws IOException, ProtocolException {
    long padded = paddedSize(size);
    int chunks = chunkCount(size);
    MessageDigest computed = Crypto.digest("SHA-256");
    long written = 0;
    for (int index = 0; index < chunks; index++) {
      int length = (int) Math.min(Limits.ATTACHMENT_CHUNK_SIZE, padded - (long) index * Limits.ATTACHMENT_CHUNK_SIZE);
      byte[] sealed = blob.readNBytes(length + Crypto.GCM_TAG_LENGTH);
      if (sealed.length != length + Crypto.GCM_TAG_LENGTH) {
        throw integrity("the attachment ends in chunk " + index + " of " + chunks);
      }
      byte[] chunk = openChunk(index, index == chunks - 1, sealed);
      int toFile = (int) Math.min(chunk.length, size - written);
      computed.update(chunk, 0, toFile);
      file.write(chunk, 0, toFile);
      written += toFile;
    }
    if (blob.read() != -1) {
      throw integrity("the attachment goes on after its last chunk");
    }
    if (!MessageDigest.isEqual(computed.digest(), digest)) {
      throw integrity("the attachment is not the file its message describes (another SHA-256)");
    }
  }

  private static ProtocolException integrity(String detail) {
    return new ProtocolException(ProtocolError.AUTH_FAILED, detail);
  }
}
