package org.quintet.protocol;

/** The type byte that follows the version byte in every typed structure. */
public final class MessageType {
  public static final int RATCHET = 0x01;
  public static final int PREKEY = 0x02;
  public static final int PROVISION = 0x10;
  public static final int CODE_HELLO = 0x20;
  public static final int CODE_REPLY = 0x21;
  public static final int CODE_CONFIRM = 0x22;
  /** A session's saved state ({@link Session#toBytes}); kept by a device, never sent. */
  public static final int SESSION_STATE = 0x30;

  private MessageType() {}

  /** The type of a session message, or an exception for anything that is not one. */
  public static int ofSessionMessage(byte[] message) throws ProtocolException {
    if (message.length < 1) {
      throw ProtocolException.malformed("session message is empty");
    }
    if (message[0] != Limits.VERSION) {
      throw new ProtocolException(
          ProtocolError.UNSUPPORTED_VERSION, "session message version " + (message[0] & 0xFF));
    }
    if (message.length < 2) {
      throw ProtocolException.malformed("session message is truncated");
    }
    int type = message[1] & 0xFF;
    if (type != RATCHET && type != PREKEY) {
      throw ProtocolException.malformed("session message type " + type);
    }
    return type;
  }
}
