package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Relay nodes over one Redis. Accounts are set up through the first node (the verification code
 * is in its log); tokens are good on every node, which share one relay key. A device connects
 * and sends through the node {@link Device#node} names.
 */
final class ClusterEndpoint implements Endpoint {
  private final List<RelayEndpoint> nodes;

  private ClusterEndpoint(List<RelayEndpoint> nodes) {
    this.nodes = nodes;
  }

  /** Two nodes over the Redis at {@code redisUrl}. */
  static ClusterEndpoint start(Vertx vertx, List<String> jvmOptions, String redisUrl, Path relayKey)
      throws IOException, InterruptedException {
    RelayEndpoint first = RelayEndpoint.onRedis(vertx, "node A", jvmOptions, redisUrl, relayKey);
    try {
      return new ClusterEndpoint(List.of(first,
          RelayEndpoint.onRedis(vertx, "node B", jvmOptions, redisUrl, relayKey)));
    } catch (IOException | InterruptedException | RuntimeException e) {
      first.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return nodes.size() + " nodes, cross-node";
  }

  @Override
  public Http http() {
    return nodes.get(0).http();
  }

  @Override
  public Http http(Device device) {
    return nodes.get(device.node).http();
  }

  @Override
  public ServerProcess process() {
    return nodes.get(0).process();
  }

  @Override
  public Future<Void> provision(List<Account> accounts) {
    return nodes.get(0).provision(accounts);
  }

  @Override
  public void close() throws InterruptedException {
    for (RelayEndpoint node : nodes) {
      node.close();
    }
  }
}
