package org.quintet.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quintet.protocol.vectors.VectorReplayTest.assertRefused;
import static org.quintet.protocol.vectors.VectorReplayTest.hex;
import static org.quintet.protocol.vectors.VectorReplayTest.vector;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.quintet.protocol.AttachmentCipher;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Crypto;
import org.quintet.protocol.Limits;

/**
 * attachments.json, replayed as the JavaScript suite does: the buckets, every file's blob from its
 * key, and every changed blob refused with its code.
 */
class AttachmentReplayTest {
  private static final int SEALED = Limits.ATTACHMENT_CHUNK_SIZE + Crypto.GCM_TAG_LENGTH;

  @Test
  void sizesGoToTheirBuckets() throws Exception {
    JsonNode file = vector("attachments");
    assertEquals(Limits.ATTACHMENT_CHUNK_SIZE, file.get("chunkSize").asInt());
    for (JsonNode c : file.get("sizes")) {
      long size = c.get("size").asLong();
      assertEquals(c.get("paddedSize").asLong(), AttachmentCipher.paddedSize(size), "padded " + size);
      assertEquals(c.get("chunks").asInt(), AttachmentCipher.chunkCount(size), "chunks " + size);
      assertEquals(c.get("blobSize").asLong(), AttachmentCipher.blobSize(size), "blob " + size);
    }
  }

  @Test
  void everyFileEncryptsToItsBlobAndBack() throws Exception {
    for (JsonNode c : vector("attachments").get("files")) {
      int size = c.get("size").asInt();
      byte[] file = AttachmentVectors.file(size);
      AttachmentCipher cipher = new AttachmentCipher(hex(c.get("key")));
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      assertArrayEquals(hex(c.get("digest")), cipher.encrypt(new ByteArrayInputStream(file), size, blob));
      byte[] bytes = blob.toByteArray();
      assertEquals(c.get("blobSize").asLong(), bytes.length);
      assertArrayEquals(hex(c.get("blobSha256")), Crypto.sha256(bytes), c.get("name").asText());
      assertArrayEquals(hex(c.get("firstChunkHead")), Bytes.slice(bytes, 0, 48));
      if (c.has("blob")) {
        assertArrayEquals(hex(c.get("blob")), bytes);
      }
      ByteArrayOutputStream back = new ByteArrayOutputStream();
      cipher.decrypt(new ByteArrayInputStream(bytes), size, hex(c.get("digest")), back);
      assertArrayEquals(file, back.toByteArray());
    }
  }

  @Test
  void everyChangedBlobIsRefused() throws Exception {
    JsonNode file = vector("attachments");
    assertFalse(file.get("changed").isEmpty());
    for (JsonNode c : file.get("changed")) {
      JsonNode original = file.get("files").get(c.get("file").asInt());
      int size = original.get("size").asInt();
      AttachmentCipher cipher = new AttachmentCipher(hex(original.get("key")));
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      cipher.encrypt(new ByteArrayInputStream(AttachmentVectors.file(size)), size, blob);
      JsonNode change = c.get("change");
      byte[] digest = change.has("digest") ? hex(change.get("digest")) : hex(original.get("digest"));
      byte[] changed = apply(change, blob.toByteArray());
      assertRefused(c.get("error").asText(),
          () -> cipher.decrypt(new ByteArrayInputStream(changed), size, digest, new ByteArrayOutputStream()),
          c.get("name").asText());
    }
  }

  /** The change the fixture names: flip [offset, mask], swap [chunk, chunk], drop chunk, truncate length, append hex. */
  static byte[] apply(JsonNode change, byte[] blob) {
    if (change.has("flip")) {
      return Seeds.flip(blob, change.get("flip").get(0).asInt(), change.get("flip").get(1).asInt());
    }
    if (change.has("swap")) {
      int a = change.get("swap").get(0).asInt();
      int b = change.get("swap").get(1).asInt();
      byte[] out = blob.clone();
      System.arraycopy(blob, b * SEALED, out, a * SEALED, SEALED);
      System.arraycopy(blob, a * SEALED, out, b * SEALED, SEALED);
      return out;
    }
    if (change.has("drop")) {
      int at = change.get("drop").asInt() * SEALED;
      return Bytes.concat(Bytes.slice(blob, 0, at), Bytes.slice(blob, at + SEALED, blob.length));
    }
    if (change.has("truncate")) {
      return Bytes.slice(blob, 0, change.get("truncate").asInt());
    }
    if (change.has("append")) {
      return Bytes.concat(blob, hex(change.get("append")));
    }
    return blob;
  }
}
