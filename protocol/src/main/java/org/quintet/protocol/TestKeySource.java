package org.quintet.protocol;

/**
 * The deterministic source of docs/protocol.md section 1: the stream
 * {@code HMAC(seed, u64(0)) || HMAC(seed, u64(1)) || ...}, consumed in order. For test vectors and
 * benchmarks only: anyone who knows the seed knows every key.
 */
public final class TestKeySource implements KeySource {
  private final byte[] seed;
  private long block;
  private byte[] buffered = new byte[0];
  private int used;

  public TestKeySource(byte[] seed) {
    this.seed = seed.clone();
  }

  @Override
  public byte[] bytes(int length) {
    byte[] out = new byte[length];
    int filled = 0;
    while (filled < length) {
      if (used == buffered.length) {
        buffered = Crypto.hmac(seed, Bytes.u64(block++));
        used = 0;
      }
      int n = Math.min(length - filled, buffered.length - used);
      System.arraycopy(buffered, used, out, filled, n);
      used += n;
      filled += n;
    }
    return out;
  }
}
