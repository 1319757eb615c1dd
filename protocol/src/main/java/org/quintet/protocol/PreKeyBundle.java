package org.quintet.protocol;

import java.util.Optional;

/** What an initiator fetches for one device: identity, signed prekey, maybe a one-time prekey. */
public record PreKeyBundle(
    IdentityKey identity, SignedPreKey signedPreKey, Optional<OneTimePreKey> oneTimePreKey) {

  public static PreKeyBundle parse(byte[] bytes) throws ProtocolException {
    Reader reader = new Reader(bytes, "prekey bundle");
    IdentityKey identity = IdentityKey.parse(reader.take(IdentityKey.LENGTH));
    SignedPreKey signed = SignedPreKey.parse(reader.take(SignedPreKey.LENGTH));
    int hasOneTime = reader.u8();
    Optional<OneTimePreKey> oneTime;
    if (hasOneTime == 0) {
      oneTime = Optional.empty();
    } else if (hasOneTime == 1) {
      oneTime = Optional.of(OneTimePreKey.parse(reader.take(OneTimePreKey.LENGTH)));
    } else {
      throw ProtocolException.malformed("prekey bundle one-time flag " + hasOneTime);
    }
    reader.end();
    return new PreKeyBundle(identity, signed, oneTime);
  }

  public byte[] encode() {
    byte[] head = Bytes.concat(identity.encode(), signedPreKey.encode());
    return oneTimePreKey
        .map(o -> Bytes.concat(head, new byte[] {1}, o.encode()))
        .orElseGet(() -> Bytes.concat(head, new byte[] {0}));
  }
}
