package org.quintet.relay.storage.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Redis Cluster of three masters and no replicas on loopback ports, for the tests. */
public final class RedisCluster implements AutoCloseable {
  private final List<RedisServer> masters;

  private RedisCluster(List<RedisServer> masters) {
    this.masters = masters;
  }

  public static RedisCluster start() throws IOException, InterruptedException {
    List<RedisServer> masters = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        // The bus port is given, not left at port + 10000, which may be past 65535 for an ephemeral port.
        masters.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-port", String.valueOf(freePort())));
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      masters.forEach(master -> create.add("127.0.0.1:" + master.port));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      masters.get(0).cli(create.toArray(String[]::new));
      RedisCluster cluster = new RedisCluster(masters);
      cluster.awaitReady();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      for (RedisServer master : masters) {
        master.close();
      }
      throw e;
    }
  }

  public List<String> urls() {
    return masters.stream().map(RedisServer::url).toList();
  }

  public void flush() throws IOException, InterruptedException {
    for (RedisServer master : masters) {
      master.cli("FLUSHALL");
    }
  }

  int mastersHoldingKeys() throws IOException, InterruptedException {
    int holding = 0;
    for (RedisServer master : masters) {
      if (!master.cli("DBSIZE").equals("0")) {
        holding++;
      }
    }
    return holding;
  }

  /** Every node must know every slot before a client can route to it. */
  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (RedisServer master : masters) {
      while (!master.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the Redis Cluster did not become ready within 20 s");
        }
        Thread.sleep(50);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (RedisServer master : masters) {
      master.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
