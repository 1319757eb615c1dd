package org.quintet.protocol.vectors;

import static org.quintet.protocol.vectors.Json.obj;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.quintet.protocol.AttachmentCipher;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Crypto;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolException;

/**
 * attachments.json: size buckets, blobs of files from fixed keys, and blobs changed in every way
 * a relay could change them (protocol/vectors/README.md).
 */
final class AttachmentVectors {
  private static final long[] SIZES = {0, 1, 1023, 1024, 1025, 2047, 2048, 2049, 65_535, 65_536, 65_537, 100_000,
      1_000_000, 104_857_600, Limits.MAX_ATTACHMENT_SIZE};
  /** Files small enough to write out whole, and one of three chunks. */
  private static final int[] FILES = {0, 5, 1500, 140_000};
  private static final int WHOLE_BLOB_UP_TO = 4096;

  private AttachmentVectors() {}

  /** The fixture's file of {@code size} bytes: byte i is (31 i + 7) mod 256. */
  static byte[] file(int size) {
    byte[] file = new byte[size];
    for (int i = 0; i < size; i++) {
      file[i] = (byte) (31 * i + 7);
    }
    return file;
  }

  static Map<String, Object> generate() throws Exception {
    List<Object> sizes = new ArrayList<>();
    for (long size : SIZES) {
      sizes.add(obj("size", size, "paddedSize", AttachmentCipher.paddedSize(size),
          "chunks", AttachmentCipher.chunkCount(size), "blobSize", AttachmentCipher.blobSize(size)));
    }
    List<Object> files = new ArrayList<>();
    List<Object> changed = new ArrayList<>();
    for (int size : FILES) {
      byte[] key = Seeds.seed("attachment key " + size);
      byte[] blob = encrypt(key, file(size));
      Map<String, Object> out = obj("name", size + " bytes", "key", key, "size", size,
          "digest", Crypto.sha256(file(size)), "blobSize", blob.length, "blobSha256", Crypto.sha256(blob),
          "firstChunkHead", Bytes.slice(blob, 0, 48));
      if (blob.length <= WHOLE_BLOB_UP_TO) {
        out.put("blob", Bytes.hex(blob));
      }
      files.add(out);
    }
    int last = FILES.length - 1;
    byte[] key = Seeds.seed("attachment key " + FILES[last]);
    byte[] blob = encrypt(key, file(FILES[last]));
    int sealed = Limits.ATTACHMENT_CHUNK_SIZE + Crypto.GCM_TAG_LENGTH;
    change(changed, "a flipped byte in the first chunk", last, obj("flip", List.of(100, 1)), key, Seeds.flip(blob, 100, 1));
    change(changed, "a flipped byte in a tag", last, obj("flip", List.of(sealed - 1, 0x80)), key, Seeds.flip(blob, sealed - 1, 0x80));
    change(changed, "a flipped byte in the last chunk", last, obj("flip", List.of(blob.length - 20, 4)), key,
        Seeds.flip(blob, blob.length - 20, 4));
    change(changed, "the first two chunks swapped", last, obj("swap", List.of(0, 1)), key,
        Bytes.concat(Bytes.slice(blob, sealed, 2 * sealed), Bytes.slice(blob, 0, sealed),
            Bytes.slice(blob, 2 * sealed, blob.length)));
    change(changed, "the last chunk dropped", last, obj("truncate", 2 * sealed), key, Bytes.slice(blob, 0, 2 * sealed));
    change(changed, "a chunk in the middle dropped", last, obj("drop", 1), key,
        Bytes.concat(Bytes.slice(blob, 0, sealed), Bytes.slice(blob, 2 * sealed, blob.length)));
    change(changed, "cut short by one byte", last, obj("truncate", blob.length - 1), key,
        Bytes.slice(blob, 0, blob.length - 1));
    change(changed, "a byte more after the last chunk", last, obj("append", "00"), key,
        Bytes.concat(blob, new byte[1]));
    change(changed, "another file's digest", last, obj("digest", Bytes.hex(Crypto.sha256(new byte[0]))), key, blob);
    return obj("description", "attachment blobs; see README.md", "chunkSize", Limits.ATTACHMENT_CHUNK_SIZE,
        "sizes", sizes, "files", files, "changed", changed);
  }

  private static byte[] encrypt(byte[] key, byte[] file) throws Exception {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    new AttachmentCipher(key).encrypt(new ByteArrayInputStream(file), file.length, blob);
    return blob.toByteArray();
  }

  /** A changed blob of file {@code index}, which must fail to decrypt. */
  private static void change(List<Object> out, String name, int index, Map<String, Object> change, byte[] key,
      byte[] blob) throws Exception {
    int size = FILES[index];
    byte[] digest = change.containsKey("digest") ? Bytes.fromHex((String) change.get("digest"))
        : Crypto.sha256(file(size));
    try {
      new AttachmentCipher(key).decrypt(new ByteArrayInputStream(blob), size, digest, new ByteArrayOutputStream());
      throw new IllegalStateException("changed blob '" + name + "' decrypted");
    } catch (ProtocolException e) {
      out.add(obj("name", name, "file", index, "change", change, "error", e.error().name()));
    }
  }
}
