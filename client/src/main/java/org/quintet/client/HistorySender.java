package org.quintet.client;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The primary's history for a companion it just linked (docs/linking.md, "After linking:
 * history"): the texts of the last days this device holds, as it shows them, and the names of the
 * people in them, in parts ({@link HistoryPart}), each
 * an end-to-end encrypted sync message to that companion alone, sent one after the other so that
 * they arrive in order.
 */
final class HistorySender {
  private final LocalStore store;
  private final Sender sender;
  private final Clock clock;

  HistorySender(LocalStore store, Sender sender, Clock clock) {
    this.store = store;
    this.sender = sender;
    this.clock = clock;
  }

  /** What was sent: texts and parts. */
  record Sent(int texts, int parts) {}

  Future<Sent> send(long deviceId, int days) {
    long since = clock.millis() - Duration.ofDays(days).toMillis();
    List<HistoryEntry> recent = days == 0 ? List.of()
        : store.history().stream().filter(text -> text.timestamp() >= since).toList();
    List<HistoryPart> parts = HistoryPart.split(recent, store.number(), store.profiles());
    Future<Void> sent = Future.succeededFuture();
    for (HistoryPart part : parts) {
      sent = sent.compose(v -> sender.sendSync(deviceId, part.encode()).mapEmpty());
    }
    return sent.map(v -> new Sent(parts.stream().mapToInt(p -> p.messages().size()).sum(), parts.size()));
  }
}
