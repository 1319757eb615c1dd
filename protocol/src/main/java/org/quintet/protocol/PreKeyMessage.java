package org.quintet.protocol;

/**
 * {@code 0x01 || 0x02 || senderIdentity[64] || baseKey[32] || signedPreKeyId:u32 ||
 * oneTimePreKeyId:u32 || RatchetMessage} (section 5.3); oneTimePreKeyId 0 means none.
 */
public record PreKeyMessage(
    IdentityKey senderIdentity, byte[] baseKey, long signedPreKeyId, long oneTimePreKeyId,
    RatchetMessage message) {
  public static final int HEADER_LENGTH = 106;

  public static PreKeyMessage parse(byte[] bytes) throws ProtocolException {
    Reader reader = Reader.open(bytes, "prekey message", MessageType.PREKEY, Limits.MAX_CONTENT);
    if (bytes.length < HEADER_LENGTH + RatchetMessage.MIN_LENGTH) {
      throw ProtocolException.malformed("prekey message is truncated");
    }
    IdentityKey sender = IdentityKey.parse(reader.take(IdentityKey.LENGTH));
    byte[] baseKey = reader.take(32);
    long signedId = reader.u32();
    long oneTimeId = reader.u32();
    if (signedId == 0) {
      throw ProtocolException.malformed("prekey message names signed prekey 0");
    }
    return new PreKeyMessage(sender, baseKey, signedId, oneTimeId, RatchetMessage.parse(reader.rest()));
  }

  public byte[] encode() {
    return Bytes.concat(new byte[] {Limits.VERSION, MessageType.PREKEY}, outerFields(), message.encode());
  }

  /** Sender identity, base key and prekey ids: what names the session this message sets up. */
  byte[] outerFields() {
    return Bytes.concat(senderIdentity.encode(), baseKey, Bytes.u32(signedPreKeyId), Bytes.u32(oneTimePreKeyId));
  }
}
