package org.quintet.protocol;

import java.util.regex.Pattern;

/** What the relay stores and delivers (docs/protocol.md section 9); the content is opaque to it. */
public record Envelope(
    int kind, byte[] messageId, long timestamp, long serverTimestamp, String source,
    long sourceDevice, long destinationDevice, byte[] content) {

  public static final int KIND_PREKEY_MESSAGE = 1;
  public static final int KIND_RATCHET_MESSAGE = 2;
  public static final int KIND_DELIVERY_RECEIPT = 3;
  public static final int MESSAGE_ID_LENGTH = 16;
  private static final Pattern E164 = Pattern.compile("\\+[0-9]{6,15}");
  private static final int FIXED_LENGTH = 1 + 1 + 16 + 8 + 8 + 1 + 4 + 4 + 4;
  public static final int MAX_LENGTH = FIXED_LENGTH + 16 + Limits.MAX_CONTENT;

  public Envelope {
    validate(kind, messageId, timestamp, serverTimestamp, source, sourceDevice, destinationDevice, content);
  }

  public static boolean isNumber(String source) {
    return source != null && E164.matcher(source).matches();
  }

  public byte[] encode() {
    byte[] sourceBytes = Bytes.ascii(source);
    return Bytes.concat(new byte[] {Limits.VERSION, (byte) kind}, messageId, Bytes.u64(timestamp),
        Bytes.u64(serverTimestamp), new byte[] {(byte) sourceBytes.length}, sourceBytes,
        Bytes.u32(sourceDevice), Bytes.u32(destinationDevice), Bytes.u32(content.length), content);
  }

  public static Envelope parse(byte[] bytes) throws ProtocolException {
    Reader reader = Reader.open(bytes, "envelope", -1, Integer.MAX_VALUE);
    int kind = reader.u8();
    if (kind < KIND_PREKEY_MESSAGE || kind > KIND_DELIVERY_RECEIPT) {
      throw ProtocolException.malformed("envelope kind " + kind);
    }
    if (bytes.length > MAX_LENGTH) {
      throw new ProtocolException(ProtocolError.TOO_LARGE, "envelope of " + bytes.length + " bytes");
    }
    byte[] messageId = reader.take(MESSAGE_ID_LENGTH);
    long timestamp = reader.u64();
    long serverTimestamp = reader.u64();
    String source = new String(reader.take(reader.u8()), java.nio.charset.StandardCharsets.US_ASCII);
    long sourceDevice = reader.u32();
    long destinationDevice = reader.u32();
    long contentLength = reader.u32();
    if (contentLength > Limits.MAX_CONTENT) {
      throw new ProtocolException(ProtocolError.TOO_LARGE, "envelope content of " + contentLength + " bytes");
    }
    byte[] content = reader.take((int) contentLength);
    reader.end();
    try {
      return new Envelope(kind, messageId, timestamp, serverTimestamp, source, sourceDevice,
          destinationDevice, content);
    } catch (IllegalArgumentException e) {
      throw ProtocolException.malformed(e.getMessage());
    }
  }

  private static void validate(int kind, byte[] messageId, long timestamp, long serverTimestamp, String source,
      long sourceDevice,
      long destinationDevice, byte[] content) {
    if (kind < KIND_PREKEY_MESSAGE || kind > KIND_DELIVERY_RECEIPT) {
      throw new IllegalArgumentException("envelope kind " + kind);
    }
    if (timestamp < 0 || timestamp > Limits.MAX_U64 || serverTimestamp < 0 || serverTimestamp > Limits.MAX_U64) {
      throw new IllegalArgumentException("timestamps are 0..2^53-1");
    }
    if (messageId.length != MESSAGE_ID_LENGTH) {
      throw new IllegalArgumentException("message id of " + messageId.length + " bytes");
    }
    if (!isNumber(source)) {
      throw new IllegalArgumentException("source is not a number in E.164 form");
    }
    if (sourceDevice < 1 || sourceDevice > 0xFFFF_FFFFL || destinationDevice < 1 || destinationDevice > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("device ids are 1..2^32-1");
    }
    if (content.length > Limits.MAX_CONTENT) {
      throw new IllegalArgumentException("content of " + content.length + " bytes");
    }
    if ((kind == KIND_DELIVERY_RECEIPT) != (content.length == 0)) {
      throw new IllegalArgumentException("a delivery receipt, and only a receipt, has no content");
    }
  }
}
