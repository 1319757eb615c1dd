package org.quintet.relay.delivery;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolException;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.QueuedEnvelope;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StoredEnvelope;

/**
 * Delivery receipts: when a device acknowledges a message from another account, the device that
 * sent it gets a receipt (an envelope of kind 3 with the same message id). The receipts of one
 * batch of acknowledgements are queued in one write.
 */
final class Receipts implements DeviceConnection.Acknowledgements {
  private final RelayStorage storage;
  private final Clock clock;
  private final Duration ttl;
  private final BiConsumer<String, Long> doorbell;
  private final RelayMetrics metrics;

  /** {@code doorbell} tells the receipt's device that its queue grew. */
  Receipts(RelayStorage storage, Clock clock, Duration ttl, BiConsumer<String, Long> doorbell, RelayMetrics metrics) {
    this.storage = storage;
    this.clock = clock;
    this.ttl = ttl;
    this.doorbell = doorbell;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> acknowledged(AuthenticatedDevice by, List<StoredEnvelope> acknowledged) {
    long now = clock.millis();
    List<QueuedEnvelope> receipts = new ArrayList<>();
    for (StoredEnvelope stored : acknowledged) {
      Envelope envelope;
      try {
        envelope = Envelope.parse(stored.envelope());
      } catch (ProtocolException e) {
        continue;
      }
      if (envelope.kind() == Envelope.KIND_DELIVERY_RECEIPT || envelope.source().equals(by.number())) {
        continue;
      }
      Envelope receipt = new Envelope(Envelope.KIND_DELIVERY_RECEIPT, envelope.messageId(), envelope.timestamp(), now,
          by.number(), by.deviceId(), envelope.sourceDevice(), new byte[0]);
      receipts.add(new QueuedEnvelope(envelope.source(), envelope.sourceDevice(), receipt.encode(),
          now + ttl.toMillis()));
    }
    if (receipts.isEmpty()) {
      return Future.succeededFuture();
    }
    return storage.enqueue(receipts).onSuccess(v -> {
      metrics.envelopesQueued(RelayMetrics.Origin.RECEIPT, receipts.size());
      receipts.forEach(receipt -> doorbell.accept(receipt.number(), receipt.deviceId()));
    });
  }
}
