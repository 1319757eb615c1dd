package org.quintet.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything an operator can set, with every limit named. Read from {@code conf/quintet.json}
 * (or {@code --config FILE}), then environment variables {@code QUINTET_*}, then command-line
 * flags; see {@link RelayMain}.
 */
public record RelayConfig(
    String host,
    int port,
    Path dataDir,
    Path relayKeyFile,
    String verificationSender,
    String verificationWebhookUrl,
    int maxCompanions,
    Duration queueTtl,
    Duration tokenTtl,
    Duration codeTtl,
    int maxCodeAttempts,
    int maxBodyBytes,
    int maxOneTimePreKeysPerUpload,
    int maxStoredOneTimePreKeys,
    int lowPreKeyThreshold,
    int deliveryWindow,
    Duration primaryInactive,
    Duration companionInactive,
    String redisUrl,
    List<String> redisClusterNodes) {

  public static RelayConfig fromJson(JsonObject json) {
    JsonObject verification = json.getJsonObject("verification", new JsonObject());
    JsonObject limits = json.getJsonObject("limits", new JsonObject());
    JsonObject redis = json.getJsonObject("redis", new JsonObject());
    return new RelayConfig(
        json.getString("host", "0.0.0.0"),
        json.getInteger("port", 8080),
        Path.of(json.getString("dataDir", "data")),
        Path.of(json.getString("relayKeyFile", Path.of(json.getString("dataDir", "data"), "relay.key").toString())),
        verification.getString("sender", "log"),
        verification.getString("webhookUrl"),
        limits.getInteger("maxCompanions", 4),
        Duration.ofDays(limits.getInteger("queueTtlDays", 30)),
        Duration.ofSeconds(limits.getInteger("tokenTtlSeconds", 900)),
        Duration.ofSeconds(limits.getInteger("codeTtlSeconds", 600)),
        limits.getInteger("maxCodeAttempts", 5),
        limits.getInteger("maxBodyBytes", 4 * 1024 * 1024),
        limits.getInteger("maxOneTimePreKeysPerUpload", 100),
        limits.getInteger("maxStoredOneTimePreKeys", 500),
        limits.getInteger("lowPreKeyThreshold", 10),
        limits.getInteger("deliveryWindow", 64),
        Duration.ofDays(limits.getInteger("primaryInactiveDays", 14)),
        Duration.ofDays(limits.getInteger("companionInactiveDays", 30)),
        redis.getString("url"),
        redis.getJsonArray("clusterNodes", new JsonArray()).stream().map(String::valueOf).toList()).validated();
  }

  /** Redis when {@code redis.url} or {@code redis.clusterNodes} is set, else the embedded database. */
  public boolean usesRedis() {
    return redisUrl != null || !redisClusterNodes.isEmpty();
  }

  private RelayConfig validated() {
    require(port >= 0 && port <= 65535, "port must be 0..65535");
    require(verificationSender.equals("log") || verificationSender.equals("webhook"),
        "verification.sender must be \"log\" or \"webhook\"");
    require(!verificationSender.equals("webhook") || verificationWebhookUrl != null,
        "verification.webhookUrl is required with the webhook sender");
    require(maxCompanions >= 0 && maxCompanions <= 15, "limits.maxCompanions must be 0..15");
    require(maxCodeAttempts >= 1, "limits.maxCodeAttempts must be at least 1");
    require(maxBodyBytes >= 64 * 1024, "limits.maxBodyBytes must be at least 65536");
    require(deliveryWindow >= 1, "limits.deliveryWindow must be at least 1");
    require(redisUrl == null || redisClusterNodes.isEmpty(), "set redis.url or redis.clusterNodes, not both");
    require(redisUrl == null || redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"),
        "redis.url must start with redis:// or rediss://");
    require(!primaryInactive.isNegative() && !primaryInactive.isZero(), "limits.primaryInactiveDays must be at least 1");
    require(!companionInactive.isNegative() && !companionInactive.isZero(),
        "limits.companionInactiveDays must be at least 1");
    return this;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
