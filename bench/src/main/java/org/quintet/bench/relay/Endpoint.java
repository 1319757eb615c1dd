package org.quintet.bench.relay;

import io.vertx.core.Future;
import java.util.List;

/** A server under test: the relay or the baseline forwarder, with how a device gets a token there. */
interface Endpoint extends AutoCloseable {
  String name();

  Http http();

  /** Where {@code device} connects and sends: one node unless the endpoint has several. */
  default Http http(Device device) {
    return http();
  }

  ServerProcess process();

  /** Makes the accounts known to the server (if it has accounts at all) and gives every device a token. */
  Future<Void> provision(List<Account> accounts);

  @Override
  default void close() throws InterruptedException {
    http().close();
    process().close();
  }
}
