package org.quintet.protocol;

import java.security.SecureRandom;

final class SecureKeySource implements KeySource {
  static final SecureKeySource INSTANCE = new SecureKeySource();
  private final SecureRandom random = new SecureRandom();

  @Override
  public byte[] bytes(int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }
}
