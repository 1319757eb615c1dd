package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quintet.relay.storage.FullQueue;
import org.quintet.relay.storage.QueueQuota;
import org.quintet.relay.storage.QueuedEnvelope;

/**
 * The {@code queue_usage} table: envelopes and bytes each queue holds, kept by the triggers of
 * {@link Schema} in the same transaction as every change of {@code envelopes}.
 */
final class QueueUsageTable {
  private QueueUsageTable() {}

  /** What one queue holds. */
  private record Usage(long envelopes, long bytes) {}

  private record Queue(String number, long deviceId) {}

  /**
   * The queues, and their limits, that {@code envelopes} would take past {@code quota}; empty when
   * all fit. Run by the writer in the transaction that then appends them, so nothing can come in
   * between the check and the write.
   */
  static List<FullQueue> over(Connection connection, List<QueuedEnvelope> envelopes, QueueQuota quota)
      throws SQLException {
    Map<Queue, long[]> adding = new LinkedHashMap<>();
    for (QueuedEnvelope envelope : envelopes) {
      long[] added = adding.computeIfAbsent(new Queue(envelope.number(), envelope.deviceId()), q -> new long[2]);
      added[0]++;
      added[1] += envelope.envelope() == null ? 0 : envelope.envelope().length;
    }
    List<FullQueue> full = new ArrayList<>();
    for (Map.Entry<Queue, long[]> entry : adding.entrySet()) {
      Queue queue = entry.getKey();
      Usage held = usage(connection, queue.number(), queue.deviceId()).orElse(new Usage(0, 0));
      if (held.envelopes() + entry.getValue()[0] > quota.maxEnvelopes()) {
        full.add(new FullQueue(queue.number(), queue.deviceId(), QueueQuota.Limit.ENVELOPES));
      }
      if (held.bytes() + entry.getValue()[1] > quota.maxBytes()) {
        full.add(new FullQueue(queue.number(), queue.deviceId(), QueueQuota.Limit.BYTES));
      }
    }
    return full;
  }

  private static Optional<Usage> usage(Connection connection, String number, long deviceId) throws SQLException {
    return Sql.one(connection, "SELECT envelopes, bytes FROM queue_usage WHERE number = ? AND device_id = ?",
        row -> new Usage(row.getLong(1), row.getLong(2)), number, deviceId);
  }
}
