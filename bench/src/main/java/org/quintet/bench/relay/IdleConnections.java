package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.quintet.protocol.KeySource;

/**
 * {@code connections}: {@code count} registered devices connect and stay idle; the relay's heap
 * after a full GC and its RSS are read before and after, and the difference divided per connection.
 */
final class IdleConnections {
  private final Vertx vertx;
  private final int count;

  record Result(int connections, ProcessMemory before, ProcessMemory after) {
    double heapPerConnection() {
      return (after.heapUsedBytes() - before.heapUsedBytes()) / (double) connections;
    }

    double rssPerConnection() {
      return (after.rssBytes() - before.rssBytes()) / (double) connections;
    }

    JsonObject toJson() {
      return new JsonObject().put("connections", connections).put("heapBytesBefore", before.heapUsedBytes())
          .put("heapBytesAfter", after.heapUsedBytes()).put("rssBytesBefore", before.rssBytes())
          .put("rssBytesAfter", after.rssBytes()).put("heapBytesPerConnection", heapPerConnection())
          .put("rssBytesPerConnection", rssPerConnection());
    }
  }

  IdleConnections(Vertx vertx, int count) {
    this.vertx = vertx;
    this.count = count;
  }

  /** Blocks: the memory readings run other processes. */
  Result run(RelayEndpoint relay) throws Exception {
    List<Account> accounts = Account.make(KeySource.secure(), count, 0, 500_001);
    RelayBench.await(relay.provision(accounts));
    System.out.printf("  %d devices registered%n", count);
    ProcessMemory before = ProcessMemory.of(relay.process().pid());
    WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count * 2));
    Deliveries ignored = new Deliveries();
    RelayBench.await(Parallel.each(accounts, 256, account -> DeliverySocket.connect(sockets, relay.http().port(),
        account.primary(), ignored)));
    // Each connection's greeting (queue-empty, the prekey check) settles before the reading.
    Thread.sleep(2000);
    ProcessMemory after = ProcessMemory.of(relay.process().pid());
    RelayBench.await(sockets.close());
    return new Result(count, before, after);
  }
}
