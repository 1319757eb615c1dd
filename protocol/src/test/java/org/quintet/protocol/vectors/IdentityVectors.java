package org.quintet.protocol.vectors;

import static org.quintet.protocol.vectors.Json.obj;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.SignedPreKey;
import org.quintet.protocol.TestKeySource;

/** identity.json: identities, signed and one-time prekeys, bundles, and bad prekey signatures. */
final class IdentityVectors {
  private IdentityVectors() {}

  static Map<String, Object> generate() {
    List<Object> cases = new ArrayList<>();
    List<SignedPreKey> signed = new ArrayList<>();
    List<IdentityKey> identities = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      byte[] seed = Seeds.seed("identity " + c);
      TestKeySource source = Seeds.source(seed);
      IdentityKeyPair identity = IdentityKeyPair.generate(source);
      long signedId = 1 + c;
      SignedPreKey spk = SignedPreKey.generate(source, identity, signedId).record();
      List<Object> oneTime = new ArrayList<>();
      List<OneTimePreKey> oneTimeKeys = new ArrayList<>();
      for (long id : new long[] {1, 2, 100_000 + c}) {
        OneTimePreKey otk = OneTimePreKey.generate(source, id).record();
        oneTimeKeys.add(otk);
        oneTime.add(obj("id", id, "record", otk.encode()));
      }
      cases.add(obj("seed", seed, "identity", identity.publicKey().encode(),
          "signedPreKey", obj("id", signedId, "record", spk.encode()),
          "oneTimePreKeys", oneTime,
          "bundle", new PreKeyBundle(identity.publicKey(), spk, Optional.of(oneTimeKeys.get(0))).encode(),
          "bundleWithoutOneTime", new PreKeyBundle(identity.publicKey(), spk, Optional.empty()).encode()));
      signed.add(spk);
      identities.add(identity.publicKey());
    }
    byte[] record = signed.get(0).encode();
    IdentityKey owner = identities.get(0);
    List<Object> rejections = new ArrayList<>();
    rejection(rejections, "flipped signature", owner, Seeds.flip(record, 40, 0x01));
    rejection(rejections, "flipped public key", owner, Seeds.flip(record, 4, 0x01));
    rejection(rejections, "changed id", owner, Seeds.flip(record, 3, 0x04));
    rejection(rejections, "signed by another identity", identities.get(1), record);
    rejection(rejections, "truncated", owner, Seeds.truncate(record, 99));
    rejection(rejections, "id zero", owner, Seeds.withByte(Seeds.withByte(record, 3, 0), 2, 0));
    return obj("description", "identities, prekeys and bundles; see README.md", "cases", cases,
        "rejections", rejections);
  }

  private static void rejection(List<Object> out, String name, IdentityKey identity, byte[] record) {
    try {
      SignedPreKey.parse(record).verify(identity);
      throw new IllegalStateException("rejection case '" + name + "' verified");
    } catch (ProtocolException e) {
      out.add(obj("name", name, "identity", identity.encode(), "signedPreKey", record,
          "error", e.error().name()));
    }
  }
}
