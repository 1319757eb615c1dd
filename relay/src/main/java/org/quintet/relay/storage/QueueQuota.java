package org.quintet.relay.storage;

/**
 * The most a device's queue may hold: envelopes, and bytes of envelopes (each envelope counted by
 * its length as stored). An enqueue that would take a queue past either is refused whole
 * ({@link RelayStorage#enqueue(java.util.List, QueueQuota)}).
 */
public record QueueQuota(long maxEnvelopes, long maxBytes) {
  /** No limit: for what the relay queues itself (delivery receipts), never for a sender's envelopes. */
  public static final QueueQuota NONE = new QueueQuota(Long.MAX_VALUE, Long.MAX_VALUE);

  /** Which of the two limits a queue would go past; {@link #wire()} is its name in the API. */
  public enum Limit {
    ENVELOPES("envelopes"),
    BYTES("bytes");

    private final String wire;

    Limit(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public QueueQuota {
    if (maxEnvelopes < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a quota allows at least one envelope of one byte");
    }
  }

  public boolean isNone() {
    return maxEnvelopes == Long.MAX_VALUE && maxBytes == Long.MAX_VALUE;
  }

  /** The limit's value. */
  public long max(Limit limit) {
    return limit == Limit.ENVELOPES ? maxEnvelopes : maxBytes;
  }
}
