package org.quintet.bench.relay;

import java.util.Base64;
import java.util.Optional;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.MemoryPreKeyStore;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.SignedPreKey;

/**
 * One simulated device: its identity and prekeys are made here, so the load generator can build
 * real X3DH sessions with it locally before any clock starts (the relay holds the same public keys).
 */
final class Device {
  final String number;
  final long id;
  final IdentityKeyPair identity;
  final int registrationId;
  final SignedPreKey signedPreKey;
  final OneTimePreKey oneTimePreKey;
  final MemoryPreKeyStore preKeys = new MemoryPreKeyStore();
  /** The counter-signed certificate that puts this device into its account's list. */
  DeviceCert cert;
  /** Bearer token on the endpoint under test. */
  String token;
  /** The relay node this device connects to and sends through, when there are several (0 otherwise). */
  int node;

  Device(KeySource source, String number, long id, int registrationId) {
    this.number = number;
    this.id = id;
    this.identity = IdentityKeyPair.generate(source);
    this.registrationId = registrationId;
    SignedPreKey.Pair signed = SignedPreKey.generate(source, identity, 1);
    OneTimePreKey.Pair oneTime = OneTimePreKey.generate(source, 1);
    this.signedPreKey = signed.record();
    this.oneTimePreKey = oneTime.record();
    preKeys.addSignedPreKey(1, signed.keyPair()).addOneTimePreKey(1, oneTime.keyPair());
  }

  PreKeyBundle bundle() {
    return new PreKeyBundle(identity.publicKey(), signedPreKey, Optional.of(oneTimePreKey));
  }

  String key() {
    return number + "/" + id;
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
