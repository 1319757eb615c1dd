package org.quintet.bench.relay;

import io.vertx.core.json.JsonObject;

/** One load level of {@code online-chat} on one endpoint. */
record Step(String endpoint, double targetMessagesPerSecond, double sentMessagesPerSecond,
    double deliveredPerSecond, double p50Ms, double p99Ms, double p999Ms, long failedSends) {
  /**
   * Saturation is about throughput; latency stops the climb only when it is far beyond anything
   * usable, so that a server with a slow but steady path is still driven to its real limit.
   */
  private static final double LATENCY_CAP_MS = 5000;

  /** The server kept up: it took what was offered and delivered it without a growing backlog. */
  boolean keptUp(int fanOut) {
    return failedSends == 0 && sentMessagesPerSecond >= 0.9 * targetMessagesPerSecond
        && deliveredPerSecond >= 0.9 * sentMessagesPerSecond * fanOut && p99Ms < LATENCY_CAP_MS;
  }

  JsonObject toJson() {
    return new JsonObject().put("endpoint", endpoint).put("targetMessagesPerSecond", targetMessagesPerSecond)
        .put("sentMessagesPerSecond", sentMessagesPerSecond).put("deliveredEnvelopesPerSecond", deliveredPerSecond)
        .put("p50Ms", p50Ms).put("p99Ms", p99Ms).put("p999Ms", p999Ms).put("failedSends", failedSends);
  }
}
