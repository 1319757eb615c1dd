package org.quintet.relay.api;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.SignedPreKey;
import org.quintet.relay.RelayConfig;
import org.quintet.relay.storage.PreKeys;

/** Reads uploaded prekeys: well-formed records, a signed prekey the device's identity signed. */
final class PreKeyUploads {
  private final RelayConfig config;

  PreKeyUploads(RelayConfig config) {
    this.config = config;
  }

  PreKeys read(JsonObject body, IdentityKey owner, boolean signedPreKeyRequired) {
    byte[] signed = null;
    if (signedPreKeyRequired || body.getValue("signedPreKey") != null) {
      signed = Fields.bytes(body, "signedPreKey", SignedPreKey.LENGTH);
      try {
        SignedPreKey.parse(signed).verify(owner);
      } catch (ProtocolException e) {
        throw ApiException.invalid("the signed prekey does not verify: " + e.error());
      }
    }
    List<byte[]> oneTime = Fields.byteList(body, "oneTimePreKeys", OneTimePreKey.LENGTH,
        config.maxOneTimePreKeysPerUpload());
    for (byte[] record : oneTime) {
      try {
        OneTimePreKey.parse(record);
      } catch (ProtocolException e) {
        throw ApiException.invalid("a one-time prekey is malformed: " + e.error());
      }
    }
    return new PreKeys(signed, oneTime);
  }
}
