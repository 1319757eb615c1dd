package org.quintet.relay;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.Limits;
import org.quintet.relay.storage.QueueQuota;
import org.quintet.relay.tls.TlsConfig;

/**
 * Everything an operator can set, with every limit named. Read from {@code conf/quintet.json}
 * (or {@code --config FILE}), then environment variables {@code QUINTET_*}, then command-line
 * flags; see {@link RelayMain}. Every default is in {@code conf/quintet.json}, which the relay's
 * jar carries, so a config file names only what it changes. The relay's fixed limits are in
 * {@link RelayLimits}.
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
    List<String> redisClusterNodes,
    boolean requireDurableRedis,
    TlsConfig tls,
    ObservabilityConfig observability,
    int maxQueuedEnvelopesPerDevice,
    int maxQueuedBytesPerDevice,
    LimitsConfig abuseLimits,
    BlobsConfig blobs) {

  private static final String THIS_MACHINE = "127.0.0.1";
  private static final String ALL_ADDRESSES = "0.0.0.0";

  /**
   * {@code json} over the defaults: {@code conf/quintet.json} as it ships in the relay's jar, the
   * one place where defaults are written. A setting {@code json} leaves out has its default.
   */
  public static RelayConfig fromJson(JsonObject json) {
    Settings settings = new Settings(Settings.defaults().mergeIn(json, true));
    Path dataDir = Path.of(settings.text("dataDir"));
    String relayKeyFile = settings.optionalText("relayKeyFile");
    TlsConfig tls = tls(settings);
    String host = settings.optionalText("host");
    return new RelayConfig(
        // Unset: this machine only over plain HTTP; with HTTPS, every address, which is what it is for.
        host != null ? host : tls.enabled() ? ALL_ADDRESSES : THIS_MACHINE,
        settings.integer("port"),
        dataDir,
        // Beside the data unless the operator says otherwise: a node made with --data has its key.
        relayKeyFile == null ? dataDir.resolve("relay.key") : Path.of(relayKeyFile),
        settings.text("verification.sender"),
        settings.optionalText("verification.webhookUrl"),
        settings.integer("limits.maxCompanions"),
        Duration.ofDays(settings.integer("limits.queueTtlDays")),
        Duration.ofSeconds(settings.integer("limits.tokenTtlSeconds")),
        Duration.ofSeconds(settings.integer("limits.codeTtlSeconds")),
        settings.integer("limits.maxCodeAttempts"),
        settings.integer("limits.maxBodyBytes"),
        settings.integer("limits.maxOneTimePreKeysPerUpload"),
        settings.integer("limits.maxStoredOneTimePreKeys"),
        settings.integer("limits.lowPreKeyThreshold"),
        settings.integer("limits.deliveryWindow"),
        Duration.ofDays(settings.integer("limits.primaryInactiveDays")),
        Duration.ofDays(settings.integer("limits.companionInactiveDays")),
        settings.optionalText("redis.url"),
        settings.textList("redis.clusterNodes"),
        settings.bool("redis.requireDurable"),
        tls,
        ObservabilityConfig.from(settings),
        settings.integer("limits.maxQueuedEnvelopesPerDevice"),
        settings.integer("limits.maxQueuedBytesPerDevice"),
        LimitsConfig.from(settings),
        BlobsConfig.from(settings)).validated();
  }

  private static TlsConfig tls(Settings settings) {
    String certFile = settings.optionalText("tls.certFile");
    String keyFile = settings.optionalText("tls.keyFile");
    return new TlsConfig(settings.bool("tls.enabled"),
        certFile == null ? null : Path.of(certFile),
        keyFile == null ? null : Path.of(keyFile),
        settings.textList("tls.names"),
        Duration.ofDays(settings.integer("tls.validityDays")),
        settings.optionalInteger("tls.redirectPort"),
        Duration.ofSeconds(settings.integer("tls.hstsMaxAgeSeconds")));
  }

  /** What one device's queue may hold of what senders queue for it. */
  public QueueQuota queueQuota() {
    return new QueueQuota(maxQueuedEnvelopesPerDevice, maxQueuedBytesPerDevice);
  }

  /** Redis when {@code redis.url} or {@code redis.clusterNodes} is set, else the embedded database. */
  public boolean usesRedis() {
    return redisUrl != null || !redisClusterNodes.isEmpty();
  }

  private RelayConfig validated() {
    require(port >= 0 && port <= 65535, "port must be 0..65535");
    require(tls.redirectPort() == null || tls.enabled(), "tls.redirectPort needs tls.enabled");
    require(tls.redirectPort() == null || tls.redirectPort() == 0 || tls.redirectPort() != port,
        "tls.redirectPort must differ from port");
    require(verificationSender.equals("log") || verificationSender.equals("webhook"),
        "verification.sender must be \"log\" or \"webhook\"");
    require(!verificationSender.equals("webhook") || verificationWebhookUrl != null,
        "verification.webhookUrl is required with the webhook sender");
    require(maxCompanions >= 0 && maxCompanions < Limits.MAX_LIST_DEVICES,
        "limits.maxCompanions must be 0.." + (Limits.MAX_LIST_DEVICES - 1));
    require(maxCodeAttempts >= 1, "limits.maxCodeAttempts must be at least 1");
    require(maxBodyBytes >= RelayLimits.MIN_BODY_BYTES, "limits.maxBodyBytes must be at least "
        + RelayLimits.MIN_BODY_BYTES);
    require(deliveryWindow >= 1, "limits.deliveryWindow must be at least 1");
    require(redisUrl == null || redisClusterNodes.isEmpty(), "set redis.url or redis.clusterNodes, not both");
    require(redisUrl == null || redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"),
        "redis.url must start with redis:// or rediss://");
    require(!primaryInactive.isNegative() && !primaryInactive.isZero(), "limits.primaryInactiveDays must be at least 1");
    require(!companionInactive.isNegative() && !companionInactive.isZero(),
        "limits.companionInactiveDays must be at least 1");
    require(maxQueuedEnvelopesPerDevice >= 1, "limits.maxQueuedEnvelopesPerDevice must be at least 1");
    require(maxQueuedBytesPerDevice >= Envelope.MAX_LENGTH, "limits.maxQueuedBytesPerDevice must be at least "
        + Envelope.MAX_LENGTH + " (one envelope of the largest size)");
    return this;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
