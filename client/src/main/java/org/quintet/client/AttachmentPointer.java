package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import org.quintet.protocol.AttachmentCipher;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolException;

/**
 * What a message says of the file it carries (docs/protocol.md, "Contents", {@code attachment}):
 * where the encrypted blob is on the relay ({@code blob}), the key that opens it, the file's size
 * and SHA-256, and what a device shows before it downloads: the type, the name, a photo's or
 * video's dimensions, a voice note's duration, a small thumbnail. Optional fields are null (and
 * {@code voiceNote} false) when the sender gave none. Bytes travel as base64.
 */
public record AttachmentPointer(String blob, byte[] key, long size, byte[] digest, String contentType,
    String fileName, Integer width, Integer height, Long durationMs, boolean voiceNote, byte[] thumbnail) {

  private static final Pattern BLOB_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern CONTENT_TYPE = Pattern.compile("[!-~&&[^/]]+/[!-~&&[^/]]+");

  /** Writes the pointer's fields into {@code node}, in the order of docs/protocol.md. */
  void encodeInto(ObjectNode node) {
    Base64.Encoder base64 = Base64.getEncoder();
    node.put("blob", blob).put("key", base64.encodeToString(key)).put("size", size)
        .put("digest", base64.encodeToString(digest)).put("contentType", contentType);
    if (fileName != null) {
      node.put("fileName", fileName);
    }
    if (width != null) {
      node.put("width", width).put("height", height);
    }
    if (durationMs != null) {
      node.put("duration", durationMs);
    }
    if (voiceNote) {
      node.put("voiceNote", true);
    }
    if (thumbnail != null) {
      node.put("thumbnail", base64.encodeToString(thumbnail));
    }
  }

  /** Reads the pointer's fields from a content or a history entry; a bad one is {@code MALFORMED}. */
  static AttachmentPointer decode(JsonNode node) throws ProtocolException {
    String blob = node.path("blob").textValue();
    if (blob == null || !BLOB_ID.matcher(blob).matches()) {
      throw ContentJson.malformed("an attachment names its blob by an id of 16 to 64 base64url characters");
    }
    byte[] key = base64(node.path("key"), AttachmentCipher.KEY_LENGTH, AttachmentCipher.KEY_LENGTH, "key");
    if (!ContentJson.isInteger(node.path("size"), 0, Limits.MAX_ATTACHMENT_SIZE)) {
      throw ContentJson.malformed("an attachment's size is 0 to " + Limits.MAX_ATTACHMENT_SIZE + " bytes");
    }
    byte[] digest = base64(node.path("digest"), AttachmentCipher.DIGEST_LENGTH, AttachmentCipher.DIGEST_LENGTH,
        "digest");
    String contentType = node.path("contentType").textValue();
    if (contentType == null || contentType.length() > ContentLimits.MAX_CONTENT_TYPE_CHARS
        || !CONTENT_TYPE.matcher(contentType).matches()) {
      throw ContentJson.malformed("an attachment's content type is a media type such as image/jpeg");
    }
    String fileName = null;
    if (node.has("fileName")) {
      fileName = node.get("fileName").textValue();
      if (!isFileName(fileName)) {
        throw ContentJson.malformed("an attachment's file name is 1 to " + ContentLimits.MAX_FILE_NAME_CHARS
            + " characters, no control character, no / or \\, not . or ..");
      }
    }
    Integer width = null;
    Integer height = null;
    if (node.has("width") || node.has("height")) {
      if (!ContentJson.isInteger(node.path("width"), 1, ContentLimits.MAX_DIMENSION)
          || !ContentJson.isInteger(node.path("height"), 1, ContentLimits.MAX_DIMENSION)) {
        throw ContentJson.malformed("an attachment has a width and a height of 1 to " + ContentLimits.MAX_DIMENSION
            + ", or neither");
      }
      width = node.get("width").intValue();
      height = node.get("height").intValue();
    }
    Long duration = null;
    if (node.has("duration")) {
      if (!ContentJson.isInteger(node.get("duration"), 0, ContentLimits.MAX_DURATION_MS)) {
        throw ContentJson.malformed("an attachment's duration is 0 to " + ContentLimits.MAX_DURATION_MS + " ms");
      }
      duration = node.get("duration").longValue();
    }
    boolean voiceNote = false;
    if (node.has("voiceNote")) {
      if (!node.get("voiceNote").isBoolean()) {
        throw ContentJson.malformed("voiceNote is true or false");
      }
      voiceNote = node.get("voiceNote").booleanValue();
    }
    byte[] thumbnail = node.has("thumbnail")
        ? base64(node.get("thumbnail"), 1, ContentLimits.MAX_THUMBNAIL_BYTES, "thumbnail") : null;
    return new AttachmentPointer(blob, key, node.get("size").longValue(), digest, contentType, fileName, width, height,
        duration, voiceNote, thumbnail);
  }

  /** The pointer as the store keeps it: its JSON, as a message carries it. */
  String stored() {
    ObjectNode node = ContentJson.MAPPER.createObjectNode();
    encodeInto(node);
    return node.toString();
  }

  /** A pointer the store kept ({@link #stored}), or null for none. */
  static AttachmentPointer fromStored(String json) {
    if (json == null) {
      return null;
    }
    try {
      return decode(ContentJson.MAPPER.readTree(json));
    } catch (ProtocolException | java.io.IOException e) {
      throw new IllegalArgumentException("a stored attachment does not read: " + e.getMessage(), e);
    }
  }

  /** A name a device may give the file it saves: never a path, never a control character. */
  static boolean isFileName(String name) {
    return name != null && !name.isEmpty() && name.length() <= ContentLimits.MAX_FILE_NAME_CHARS
        && !ContentJson.hasControl(name) && name.indexOf('/') < 0 && name.indexOf('\\') < 0
        && !name.equals(".") && !name.equals("..");
  }

  /**
   * Base64 (with padding) of {@code min..max} bytes, written as an encoder writes it: another
   * spelling of the same bytes (missing padding, stray bits) is refused, as the browser refuses it.
   */
  private static byte[] base64(JsonNode node, int min, int max, String what) throws ProtocolException {
    String text = node.textValue();
    byte[] bytes;
    try {
      bytes = text == null ? null : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      bytes = null;
    }
    if (bytes == null || bytes.length < min || bytes.length > max
        || !Base64.getEncoder().encodeToString(bytes).equals(text)) {
      throw ContentJson.malformed("an attachment's " + what + " is base64 of " + (min == max ? min : min + " to " + max)
          + " bytes");
    }
    return bytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AttachmentPointer p && blob.equals(p.blob) && Arrays.equals(key, p.key) && size == p.size
        && Arrays.equals(digest, p.digest) && contentType.equals(p.contentType) && Objects.equals(fileName, p.fileName)
        && Objects.equals(width, p.width) && Objects.equals(height, p.height) && Objects.equals(durationMs, p.durationMs)
        && voiceNote == p.voiceNote && Arrays.equals(thumbnail, p.thumbnail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(blob, size, contentType, fileName) * 31 + Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    // Never the key.
    return "AttachmentPointer[" + contentType + ", " + size + " bytes]";
  }
}
