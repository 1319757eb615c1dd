package org.quintet.client;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay's linking events on the delivery connection ({@code device-linked},
 * {@code pairing-*}, docs/relay-api.md), handed to the linking flows that wait for them. A flow
 * starts watching before it acts, so an event that answers its action quickly is not missed.
 * Used on the client's event loop only.
 */
final class LinkEvents {
  /** A linking flow's view of the events. */
  interface Watcher {
    void onEvent(JsonObject event);

    /** The delivery connection closed: no more events will come. */
    void onConnectionLost(ConnectionClosed closed);
  }

  private final List<Watcher> watchers = new ArrayList<>();

  void watch(Watcher watcher) {
    watchers.add(watcher);
  }

  void unwatch(Watcher watcher) {
    watchers.remove(watcher);
  }

  void publish(JsonObject event) {
    // A watcher may stop watching while it handles the event.
    List.copyOf(watchers).forEach(watcher -> watcher.onEvent(event));
  }

  void connectionLost(ConnectionClosed closed) {
    List.copyOf(watchers).forEach(watcher -> watcher.onConnectionLost(closed));
  }
}
