package org.quintet.protocol.vectors;

import java.util.HashMap;
import java.util.Map;
import org.quintet.protocol.PreKeyStore;
import org.quintet.protocol.X25519KeyPair;

final class MemoryPreKeyStore implements PreKeyStore {
  final Map<Long, X25519KeyPair> signed = new HashMap<>();
  final Map<Long, X25519KeyPair> oneTime = new HashMap<>();

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
