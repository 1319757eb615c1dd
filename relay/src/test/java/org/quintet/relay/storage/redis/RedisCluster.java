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

  /** Runs redis-cli against the cluster, following redirections to the master of the key's slot. */
  public String cli(String... args) throws IOException, InterruptedException {
    List<String> clustered = new ArrayList<>(List.of("-c"));
    clustered.addAll(List.of(args));
    return masters.get(0).cli(clustered.toArray(String[]::new));
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

  /**
   * Moves the slot of {@code key}, with its keys, from the master that holds it to another, as a
   * resharding does: importing and migrating states, MIGRATE of every key, then the new owner told
   * to every master.
   */
  public void moveSlotOf(String key) throws IOException, InterruptedException {
    int slot = Integer.parseInt(masters.get(0).cli("CLUSTER", "KEYSLOT", key));
    RedisServer source = owner(slot);
    RedisServer target = masters.stream().filter(master -> master != source).findFirst().orElseThrow();
    String sourceId = source.cli("CLUSTER", "MYID");
    String targetId = target.cli("CLUSTER", "MYID");
    String slotText = String.valueOf(slot);
    target.cli("CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId);
    source.cli("CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId);
    for (String moving = source.cli("CLUSTER", "GETKEYSINSLOT", slotText, "100"); !moving.isBlank();
        moving = source.cli("CLUSTER", "GETKEYSINSLOT", slotText, "100")) {
      List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", String.valueOf(target.port), "", "0",
          "5000", "KEYS"));
      migrate.addAll(List.of(moving.split("\\s+")));
      source.cli(migrate.toArray(String[]::new));
    }
    for (RedisServer master : masters) {
      master.cli("CLUSTER", "SETSLOT", slotText, "NODE", targetId);
    }
  }

  /** The master whose slot ranges (the last fields of its CLUSTER NODES line) hold {@code slot}. */
  private RedisServer owner(int slot) throws IOException, InterruptedException {
    for (RedisServer master : masters) {
      String id = master.cli("CLUSTER", "MYID");
      for (String line : master.cli("CLUSTER", "NODES").split("\n")) {
        String[] fields = line.trim().split(" ");
        if (!fields[0].equals(id)) {
          continue;
        }
        for (int f = 8; f < fields.length; f++) {
          String[] range = fields[f].split("-");
          int first = Integer.parseInt(range[0]);
          int last = range.length == 2 ? Integer.parseInt(range[1]) : first;
          if (slot >= first && slot <= last) {
            return master;
          }
        }
      }
    }
    throw new IOException("no master owns slot " + slot);
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
