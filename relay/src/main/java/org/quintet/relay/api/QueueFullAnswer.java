package org.quintet.relay.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.quintet.relay.storage.FullQueue;
import org.quintet.relay.storage.QueueQuota;

/**
 * The answer to a send that would take device queues past their quota: {@code 507 QUEUE_FULL}
 * with {@code queues}, one entry per queue and limit ({@code number}, {@code deviceId},
 * {@code limit}: "envelopes" or "bytes", and {@code max}), so the sender's client can say whose
 * device it is and what to do (docs/relay-api.md). Nothing of the send was queued.
 */
final class QueueFullAnswer {
  private QueueFullAnswer() {}

  /** {@code quota} gives each limit's {@code max}; null leaves it out. */
  static ApiException of(List<FullQueue> full, QueueQuota quota) {
    JsonArray queues = new JsonArray();
    for (FullQueue queue : full) {
      JsonObject entry = new JsonObject().put("number", queue.number()).put("deviceId", queue.deviceId())
          .put("limit", queue.limit().wire());
      if (quota != null) {
        entry.put("max", quota.max(queue.limit()));
      }
      queues.add(entry);
    }
    String message = full.size() == 1
        ? "device " + full.get(0).deviceId() + " of " + full.get(0).number() + " has as many "
            + full.get(0).limit().wire() + " waiting as its queue may hold"
        : full.size() + " device queues are full";
    return new ApiException(ApiError.QUEUE_FULL, message + "; nothing was sent, until the device takes its messages",
        new JsonObject().put("queues", queues));
  }
}
