package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay benchmark: starts the relay and the baseline forwarder each in its own JVM, one after
 * the other (so they never compete for the cores), drives them with the same load generator, and
 * writes {@code relay-<timestamp>.{md,json,png}}. {@code cluster}, run by name only, starts a Redis
 * and relay nodes over it instead.
 */
public final class RelayBench {
  static final String USAGE = """
      usage: scripts/bench-relay [all|online-chat|offline-drain|connections|link-storm|cluster|help] [options]
        all (the default) runs online-chat, offline-drain, connections and link-storm;
        cluster (by name only) runs the online-chat levels on 1 node and on 2 nodes over a Redis of its own
        --accounts N         online-chat and cluster accounts (default 20; even for cluster)
        --companions K       companions per account (default 2)
        --first-rate R       first online-chat level, messages/s (default 100; doubles each step)
        --max-rate R         highest level tried (default 32000)
        --warm S --measure S seconds per level (default 2 and 4)
        --drain N            envelopes queued for offline-drain (default 100000)
        --connections N      idle devices for connections (default 10000)
        --link N             companions linking at once in link-storm (default 200)
        --per-primary K      companions each primary links, one after another (default 1, at most 4)
        --server-jvm OPTS    JVM options of both servers, space-separated (default -Xmx1g)
        --jfr FILE           record the relay with JFR during online-chat
        --out DIR            where results go (default target/bench)""";

  private RelayBench() {}

  public static void main(String[] args) throws Exception {
    boolean named = args.length > 0 && !args[0].startsWith("--");
    String scenario = named ? args[0] : "all";
    if (scenario.equals("help")) {
      System.out.println(USAGE);
      return;
    }
    if (!List.of("all", "online-chat", "offline-drain", "connections", "link-storm", "cluster").contains(scenario)) {
      System.err.println(USAGE);
      System.exit(2);
    }
    Map<String, String> flags = flags(args, named ? 1 : 0);
    List<String> jvm = List.of(flags.getOrDefault("--server-jvm", "-Xmx1g").split(" "));
    String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path base = Path.of(flags.getOrDefault("--out", "target/bench"), "relay-" + timestamp);
    Report report = new Report(timestamp, "RelayBench " + String.join(" ", args));
    Vertx vertx = Vertx.vertx();
    try {
      if (scenario.equals("all") || scenario.equals("online-chat")) {
        onlineChat(vertx, flags, jvm, report, base);
      }
      if (scenario.equals("all") || scenario.equals("offline-drain")) {
        System.out.println("offline-drain");
        try (RelayEndpoint relay = RelayEndpoint.start(vertx, jvm)) {
          report.offlineDrain(await(new OfflineDrain(vertx, integer(flags, "--drain", 100_000)).run(relay)));
        }
      }
      if (scenario.equals("all") || scenario.equals("connections")) {
        System.out.println("connections");
        try (RelayEndpoint relay = RelayEndpoint.start(vertx, jvm)) {
          report.connections(new IdleConnections(vertx, integer(flags, "--connections", 10_000)).run(relay));
        }
      }
      if (scenario.equals("all") || scenario.equals("link-storm")) {
        System.out.println("link-storm");
        try (RelayEndpoint relay = RelayEndpoint.start(vertx, jvm)) {
          report.linkStorm(new LinkStorm(vertx, integer(flags, "--link", 200), integer(flags, "--per-primary", 1))
              .run(relay));
        }
      }
      if (scenario.equals("cluster")) {
        cluster(vertx, flags, jvm, report, base);
      }
      System.out.println();
      System.out.println(report.write(base));
      System.out.println("results: " + base + ".{md,json}" + (scenario.equals("all")
          || scenario.equals("online-chat") ? ", " + base + ".png" : scenario.equals("cluster")
          ? ", " + base + "-cluster.png" : ""));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static OnlineChat.Settings chatSettings(Map<String, String> flags) {
    return new OnlineChat.Settings(integer(flags, "--accounts", 20),
        integer(flags, "--companions", 2), number(flags, "--first-rate", 100), number(flags, "--max-rate", 32_000),
        number(flags, "--warm", 2), number(flags, "--measure", 4));
  }

  private static void onlineChat(Vertx vertx, Map<String, String> flags, List<String> jvm, Report report, Path base)
      throws Exception {
    System.out.println("online-chat: setting up sessions");
    OnlineChat chat = new OnlineChat(vertx, chatSettings(flags));
    List<OnlineChat.Result> results = new ArrayList<>();
    List<String> relayJvm = new ArrayList<>(jvm);
    if (flags.containsKey("--jfr")) {
      relayJvm.add("-XX:StartFlightRecording=filename=" + flags.get("--jfr") + ",settings=profile");
    }
    try (RelayEndpoint relay = RelayEndpoint.start(vertx, relayJvm)) {
      results.add(await(chat.run(relay)));
    }
    try (ForwarderEndpoint forwarder = ForwarderEndpoint.start(vertx, jvm)) {
      results.add(await(chat.run(forwarder)));
    }
    report.onlineChat(chat, results);
    Files.createDirectories(base.getParent());
    LatencyPlot.write(results, Path.of(base + ".png"));
  }

  /**
   * The same levels on one node and on two nodes over one Redis. The two runs use different
   * numbers, so the second finds none of the first one's accounts in the shared storage.
   */
  private static void cluster(Vertx vertx, Map<String, String> flags, List<String> jvm, Report report, Path base)
      throws Exception {
    OnlineChat.Settings settings = chatSettings(flags);
    if (settings.accounts() % 2 != 0) {
      // Node by account parity: with an odd count the last account writes to one on its own node.
      throw new IllegalArgumentException("cluster needs an even --accounts\n" + USAGE);
    }
    System.out.println("cluster: setting up sessions");
    OnlineChat single = new OnlineChat(vertx, settings, 1, 700_001);
    OnlineChat spread = new OnlineChat(vertx, settings, 2, 800_001);
    try (RedisServer redis = RedisServer.start()) {
      Path relayKey = redis.newRelayKey();
      System.out.println("cluster: 1 node over " + redis.url());
      OnlineChat.Result oneNode;
      try (RelayEndpoint node = RelayEndpoint.onRedis(vertx, "1 node", jvm, redis.url(), relayKey)) {
        oneNode = await(single.run(node));
      }
      System.out.println("cluster: 2 nodes over " + redis.url());
      OnlineChat.Result twoNodes;
      try (ClusterEndpoint nodes = ClusterEndpoint.start(vertx, jvm, redis.url(), relayKey)) {
        twoNodes = await(spread.run(nodes));
      }
      report.cluster(single, oneNode, spread, twoNodes);
      Files.createDirectories(base.getParent());
      LatencyPlot.write(List.of(oneNode, twoNodes), Path.of(base + "-cluster.png"));
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
  }

  private static Map<String, String> flags(String[] args, int from) {
    Map<String, String> flags = new HashMap<>();
    for (int i = from; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException("expected --flag value at " + args[i] + "\n" + USAGE);
      }
      flags.put(args[i], args[++i]);
    }
    return flags;
  }

  private static int integer(Map<String, String> flags, String name, int fallback) {
    return flags.containsKey(name) ? Integer.parseInt(flags.get(name)) : fallback;
  }

  private static double number(Map<String, String> flags, String name, double fallback) {
    return flags.containsKey(name) ? Double.parseDouble(flags.get(name)) : fallback;
  }
}
