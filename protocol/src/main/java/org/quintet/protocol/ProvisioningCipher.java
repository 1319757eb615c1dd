package org.quintet.protocol;

/**
 * QR linking (docs/protocol.md section 7.1): the primary seals the provisioning payload to the
 * key the companion showed in its QR code.
 */
public final class ProvisioningCipher {
  private static final byte[] ZERO_SALT = new byte[32];
  private static final int HEADER_LENGTH = 34;

  private ProvisioningCipher() {}

  public static byte[] seal(KeySource source, byte[] provisioningKey, byte[] payload) throws ProtocolException {
    if (payload.length > Limits.MAX_PLAINTEXT) {
      throw new ProtocolException(ProtocolError.TOO_LARGE, "provisioning payload of " + payload.length + " bytes");
    }
    X25519KeyPair ephemeral = source.newX25519();
    byte[] keys = keys(ephemeral.agree(provisioningKey));
    byte[] header = Bytes.concat(new byte[] {Limits.VERSION, MessageType.PROVISION}, ephemeral.publicKey());
    byte[] ciphertext = Crypto.gcmSeal(Bytes.slice(keys, 0, 32), Bytes.slice(keys, 32, 44), payload,
        Bytes.concat(header, provisioningKey));
    return Bytes.concat(header, ciphertext);
  }

  public static byte[] open(X25519KeyPair provisioningKey, byte[] message) throws ProtocolException {
    Reader reader = Reader.open(message, "provisioning message", MessageType.PROVISION, Limits.MAX_CONTENT);
    if (message.length < HEADER_LENGTH + Crypto.GCM_TAG_LENGTH) {
      throw ProtocolException.malformed("provisioning message is truncated");
    }
    byte[] ephemeral = reader.take(32);
    byte[] keys = keys(provisioningKey.agree(ephemeral));
    return Crypto.gcmOpen(Bytes.slice(keys, 0, 32), Bytes.slice(keys, 32, 44), reader.rest(),
        Bytes.concat(Bytes.slice(message, 0, HEADER_LENGTH), provisioningKey.publicKey()));
  }

  private static byte[] keys(byte[] shared) {
    return Crypto.hkdf(ZERO_SALT, shared, "Quintet v1 provisioning", 44);
  }
}
