package org.quintet.protocol;

import java.util.HashMap;
import java.util.Map;

/** A prekey store in memory, for tests, tools and devices that keep their prekeys elsewhere. */
public final class MemoryPreKeyStore implements PreKeyStore {
  private final Map<Long, X25519KeyPair> signed = new HashMap<>();
  private final Map<Long, X25519KeyPair> oneTime = new HashMap<>();

  public MemoryPreKeyStore addSignedPreKey(long id, X25519KeyPair keyPair) {
    signed.put(id, keyPair);
    return this;
  }

  public MemoryPreKeyStore addOneTimePreKey(long id, X25519KeyPair keyPair) {
    oneTime.put(id, keyPair);
    return this;
  }

  public int oneTimePreKeyCount() {
    return oneTime.size();
  }

  @Override
  public X25519KeyPair signedPreKey(long id) {
    return signed.get(id);
  }

  @Override
  public X25519KeyPair oneTimePreKey(long id) {
    return oneTime.get(id);
  }

  @Override
  public void removeOneTimePreKey(long id) {
    oneTime.remove(id);
  }
}
