package org.quintet.protocol;

/**
 * Phone number + code linking (docs/protocol.md section 7.2): an encrypted key exchange in which
 * the 8-symbol code shown on the companion authenticates both ephemeral keys.
 *
 * <p>Messages: the companion's {@link Companion#hello()}, the primary's {@link Primary#reply()},
 * the companion's {@link Companion#confirm}. The primary must sign nothing before
 * {@link Primary#openConfirm} succeeded.
 */
public final class CodePairing {
  private static final byte[] ZERO_SALT = new byte[32];
  private static final int REPLY_HEADER_LENGTH = 34;

  private CodePairing() {}

  /** The companion: shows the code, sends the hello, opens the reply, confirms. */
  public static final class Companion {
    private final String code;
    private final X25519KeyPair ephemeral;
    private final byte[] stretched;
    private final byte[] hello;
    private byte[] linkKeys;
    private byte[] transcript;

    private Companion(String code, byte[] salt, X25519KeyPair ephemeral, IdentityKey identity) {
      this.code = code;
      this.ephemeral = ephemeral;
      this.stretched = stretch(code, salt);
      byte[] wrapped = Crypto.ctr(wrapKey(stretched, "companion"), wrapIv(stretched, "companion"),
          ephemeral.publicKey());
      this.hello = Bytes.concat(new byte[] {Limits.VERSION, MessageType.CODE_HELLO}, salt, wrapped,
          identity.encode());
    }

    /** Draws the code (5 bytes), the salt (32) and the ephemeral key, in that order. */
    public static Companion start(KeySource source, IdentityKey companionIdentity) {
      String code = LinkCode.generate(source);
      byte[] salt = source.bytes(32);
      X25519KeyPair ephemeral = source.newX25519();
      return new Companion(code, salt, ephemeral, companionIdentity);
    }

    /** The code as shown: {@code XXXX-XXXX}. */
    public String code() {
      return LinkCode.format(code);
    }

    public byte[] hello() {
      return hello.clone();
    }

    /** Opens the primary's reply; {@code AUTH_FAILED} when the primary typed another code. */
    public byte[] openReply(byte[] reply) throws ProtocolException {
      Reader reader = Reader.open(reply, "code reply", MessageType.CODE_REPLY, Limits.MAX_CONTENT);
      if (reply.length < REPLY_HEADER_LENGTH + Crypto.GCM_TAG_LENGTH) {
        throw ProtocolException.malformed("code reply is truncated");
      }
      byte[] wrapped = reader.take(32);
      byte[] primaryKey = unwrap(stretched, "primary", wrapped);
      byte[] th = transcript(hello, wrapped);
      byte[] keys = linkKeys(ephemeral.agree(primaryKey), stretched, th);
      byte[] payload = Crypto.gcmOpen(Bytes.slice(keys, 0, 32), Bytes.slice(keys, 32, 44), reader.rest(),
          Bytes.concat(Bytes.slice(reply, 0, REPLY_HEADER_LENGTH), th));
      this.linkKeys = keys;
      this.transcript = th;
      return payload;
    }

    /** The confirmation, which proves to the primary that this companion holds the code. */
    public byte[] confirm(byte[] payload) throws ProtocolException {
      if (linkKeys == null) {
        throw new IllegalStateException("confirm only after the reply opened");
      }
      if (payload.length > Limits.MAX_PLAINTEXT) {
        throw new ProtocolException(ProtocolError.TOO_LARGE, "confirmation payload of " + payload.length + " bytes");
      }
      byte[] header = {Limits.VERSION, MessageType.CODE_CONFIRM};
      return Bytes.concat(header, Crypto.gcmSeal(Bytes.slice(linkKeys, 44, 76), Bytes.slice(linkKeys, 76, 88),
          payload, Bytes.concat(header, transcript)));
    }
  }

  /** The primary: after the user typed the code, answers the hello and opens the confirmation. */
  public static final class Primary {
    private final IdentityKey companionIdentity;
    private final byte[] reply;
    private final byte[] linkKeys;
    private final byte[] transcript;

    private Primary(IdentityKey companionIdentity, byte[] reply, byte[] linkKeys, byte[] transcript) {
      this.companionIdentity = companionIdentity;
      this.reply = reply;
      this.linkKeys = linkKeys;
      this.transcript = transcript;
    }

    /** Draws the ephemeral key after the code and the hello were accepted as well-formed. */
    public static Primary respond(KeySource source, String typedCode, byte[] hello, byte[] replyPayload)
        throws ProtocolException {
      String code = LinkCode.normalise(typedCode);
      Hello parsed = Hello.parse(hello);
      byte[] salt = parsed.salt();
      byte[] wrapped = parsed.wrappedKey();
      IdentityKey companion = parsed.companionIdentity();
      if (replyPayload.length > Limits.MAX_PLAINTEXT) {
        throw new ProtocolException(ProtocolError.TOO_LARGE, "reply payload of " + replyPayload.length + " bytes");
      }
      byte[] stretched = stretch(code, salt);
      byte[] companionKey = unwrap(stretched, "companion", wrapped);
      X25519KeyPair ephemeral = source.newX25519();
      byte[] wrappedOwn = Crypto.ctr(wrapKey(stretched, "primary"), wrapIv(stretched, "primary"), ephemeral.publicKey());
      byte[] th = transcript(hello, wrappedOwn);
      byte[] keys = linkKeys(ephemeral.agree(companionKey), stretched, th);
      byte[] header = Bytes.concat(new byte[] {Limits.VERSION, MessageType.CODE_REPLY}, wrappedOwn);
      byte[] ciphertext = Crypto.gcmSeal(Bytes.slice(keys, 0, 32), Bytes.slice(keys, 32, 44), replyPayload,
          Bytes.concat(header, th));
      return new Primary(companion, Bytes.concat(header, ciphertext), keys, th);
    }

    /** The companion identity the hello carried; trust it only after {@link #openConfirm}. */
    public IdentityKey companionIdentity() {
      return companionIdentity;
    }

    public byte[] reply() {
      return reply.clone();
    }

    public byte[] openConfirm(byte[] confirm) throws ProtocolException {
      Reader.open(confirm, "code confirmation", MessageType.CODE_CONFIRM, Limits.MAX_CONTENT);
      if (confirm.length < 2 + Crypto.GCM_TAG_LENGTH) {
        throw ProtocolException.malformed("code confirmation is truncated");
      }
      return Crypto.gcmOpen(Bytes.slice(linkKeys, 44, 76), Bytes.slice(linkKeys, 76, 88),
          Bytes.slice(confirm, 2, confirm.length), Bytes.concat(Bytes.slice(confirm, 0, 2), transcript));
    }
  }

  /**
   * The companion identity a hello carries. A primary reads it before answering, because the
   * certificate in its reply names it; it is trusted only once the confirmation opened.
   */
  public static IdentityKey companionIdentity(byte[] hello) throws ProtocolException {
    return Hello.parse(hello).companionIdentity();
  }

  private record Hello(byte[] salt, byte[] wrappedKey, IdentityKey companionIdentity) {
    static Hello parse(byte[] hello) throws ProtocolException {
      Reader reader = Reader.open(hello, "code hello", MessageType.CODE_HELLO, Limits.MAX_CONTENT);
      Hello parsed = new Hello(reader.take(32), reader.take(32), IdentityKey.parse(reader.take(IdentityKey.LENGTH)));
      reader.end();
      return parsed;
    }
  }

  private static byte[] stretch(String code, byte[] salt) {
    return Crypto.pbkdf2(code, salt, Limits.CODE_PBKDF2_ITERATIONS, 32);
  }

  private static byte[] wrapKey(byte[] stretched, String side) {
    return Bytes.slice(wrap(stretched, side), 0, 32);
  }

  private static byte[] wrapIv(byte[] stretched, String side) {
    return Bytes.slice(wrap(stretched, side), 32, 48);
  }

  private static byte[] wrap(byte[] stretched, String side) {
    return Crypto.hkdf(ZERO_SALT, stretched, "Quintet v1 code wrap " + side, 48);
  }

  /**
   * Decrypts a wrapped key and clears its top bit: under a wrong code the result is any 32 bytes,
   * and it must stay a usable key so that only the final authentication tells.
   */
  private static byte[] unwrap(byte[] stretched, String side, byte[] wrapped) {
    byte[] key = Crypto.ctr(wrapKey(stretched, side), wrapIv(stretched, side), wrapped);
    key[31] &= 0x7F;
    return key;
  }

  /** Covers the hello and the primary's wrapped key exactly as sent. */
  private static byte[] transcript(byte[] hello, byte[] wrappedPrimaryKey) {
    return Crypto.sha256(Bytes.concat(Bytes.ascii("Quintet v1 code transcript"),
        Bytes.slice(hello, 2, hello.length), wrappedPrimaryKey));
  }

  private static byte[] linkKeys(byte[] shared, byte[] stretched, byte[] transcript) {
    return Crypto.hkdf(transcript, Bytes.concat(shared, stretched), "Quintet v1 code link", 88);
  }
}
