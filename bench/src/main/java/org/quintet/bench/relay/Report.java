package org.quintet.bench.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A run's figures as Markdown and JSON (and the latency plot), named by the run's timestamp. */
final class Report {
  private final StringBuilder markdown = new StringBuilder();
  private final JsonObject json = new JsonObject();

  Report(String timestamp, String command) {
    String machine = Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
    json.put("timestamp", timestamp).put("command", command).put("machine", machine);
    markdown.append("# Relay benchmark, ").append(timestamp).append("\n\nMachine: ").append(machine)
        .append(" (the load generator and the server under test share it).\nCommand: `").append(command)
        .append("`\n");
  }

  void onlineChat(OnlineChat chat, List<OnlineChat.Result> results) {
    markdown.append(String.format(Locale.ROOT, "%n## online-chat%n%n%d devices online, fan-out %d envelopes per"
        + " message.%n", chat.devices(), chat.fanOut()));
    JsonArray endpoints = levels(results);
    if (results.size() == 2 && results.get(1).saturation() > 0) {
      double ratio = results.get(0).saturation() / results.get(1).saturation();
      markdown.append(String.format(Locale.ROOT, "%nRelay / forwarder, delivered envelopes/s at saturation: %.2f%n",
          ratio));
      json.put("relayToForwarderRatio", ratio);
    }
    json.put("onlineChat", new JsonObject().put("devices", chat.devices()).put("fanOut", chat.fanOut())
        .put("endpoints", endpoints));
  }

  void cluster(OnlineChat single, OnlineChat.Result oneNode, OnlineChat spread, OnlineChat.Result twoNodes) {
    markdown.append(String.format(Locale.ROOT, "%n## cluster%n%nOne Redis (append-only, fsync always), %d devices"
        + " online, %d envelopes per message. **2 nodes**: each account's devices alternate between node A and"
        + " node B, senders post to their own node; only the %d envelopes per message for a device on the other"
        + " node are counted and timed. **1 node**: the same load on one node over the same Redis, all %d"
        + " envelopes counted.%n", spread.devices(), spread.allFanOut(), spread.fanOut(), single.fanOut()));
    JsonArray endpoints = levels(List.of(oneNode, twoNodes));
    json.put("cluster", new JsonObject().put("devices", spread.devices()).put("fanOut", spread.allFanOut())
        .put("crossNodeFanOut", spread.fanOut()).put("endpoints", endpoints));
  }

  /** The levels of each endpoint, then saturation and the half-load step; answers them as JSON. */
  private JsonArray levels(List<OnlineChat.Result> results) {
    markdown.append(String.format(Locale.ROOT, "%n| endpoint | offered msg/s | sent msg/s | delivered env/s | p50 ms"
        + " | p99 ms | p999 ms |%n|---|---|---|---|---|---|---|%n"));
    JsonArray endpoints = new JsonArray();
    for (OnlineChat.Result result : results) {
      result.steps().forEach(this::row);
      JsonArray steps = new JsonArray();
      result.steps().forEach(step -> steps.add(step.toJson()));
      endpoints.add(new JsonObject().put("endpoint", result.endpoint()).put("steps", steps)
          .put("saturationEnvelopesPerSecond", result.saturation()).put("halfSaturation", result.half().toJson()));
    }
    markdown.append(String.format(Locale.ROOT, "%n| endpoint | saturation env/s | at half: p50 ms | p99 ms | p999 ms |"
        + "%n|---|---|---|---|---|%n"));
    for (OnlineChat.Result r : results) {
      markdown.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f |%n", r.endpoint(), r.saturation(),
          r.half().p50Ms(), r.half().p99Ms(), r.half().p999Ms()));
    }
    return endpoints;
  }

  void linkStorm(LinkStorm.Result result) {
    markdown.append(String.format(Locale.ROOT, "%n## link-storm%n%n%d companions linked by QR at once to %d"
        + " primaries, through the Java client: **%.1f links/s** (%.1f s in all). CPU time in that while:"
        + " relay %.1f s, load generator %.1f s (of %.1f s the cores had).%n%n| from opening the provisioning"
        + " socket to | p50 ms | p99 ms | max ms |%n|---|---|---|---|%n", result.companions(), result.primaries(),
        result.linksPerSecond(), result.seconds(), result.relayCpuSeconds(), result.clientCpuSeconds(),
        result.seconds() * Runtime.getRuntime().availableProcessors()));
    span("the companion linked, with a token and its delivery connection", result.linked());
    span("its primary signed the new device list and sent the history", result.listed());
    json.put("linkStorm", result.toJson());
  }

  private void span(String what, long[] sorted) {
    markdown.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", what,
        Deliveries.percentileMs(sorted, 0.50), Deliveries.percentileMs(sorted, 0.99),
        Deliveries.percentileMs(sorted, 1)));
  }

  private void row(Step s) {
    markdown.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f |%n", s.endpoint(),
        s.targetMessagesPerSecond(), s.sentMessagesPerSecond(), s.deliveredPerSecond(), s.p50Ms(), s.p99Ms(),
        s.p999Ms()));
  }

  void offlineDrain(OfflineDrain.Result result) {
    markdown.append(String.format(Locale.ROOT, "%n## offline-drain%n%n%d envelopes queued at %.0f/s (durable);"
        + " drained with acks at **%.0f envelopes/s**.%n", result.envelopes(), result.queuedPerSecond(),
        result.drainedPerSecond()));
    json.put("offlineDrain", result.toJson());
  }

  void connections(IdleConnections.Result result) {
    markdown.append(String.format(Locale.ROOT, "%n## connections%n%n%d idle devices: heap after full GC %.1f → %.1f"
        + " MiB, RSS %.1f → %.1f MiB; **%.1f KB heap** and %.1f KB RSS per connection.%n", result.connections(),
        result.before().heapUsedBytes() / 1048576.0, result.after().heapUsedBytes() / 1048576.0,
        result.before().rssBytes() / 1048576.0, result.after().rssBytes() / 1048576.0,
        result.heapPerConnection() / 1000, result.rssPerConnection() / 1000));
    json.put("connections", result.toJson());
  }

  /** Writes {@code base}.md and .json; answers the Markdown. */
  String write(Path base) throws IOException {
    Files.createDirectories(base.getParent());
    Files.writeString(Path.of(base + ".md"), markdown);
    Files.writeString(Path.of(base + ".json"), json.encodePrettily());
    return markdown.toString();
  }
}
