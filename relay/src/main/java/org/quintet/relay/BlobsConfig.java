package org.quintet.relay;

import java.nio.file.Path;
import java.time.Duration;
import org.quintet.protocol.AttachmentCipher;
import org.quintet.protocol.Limits;
import org.quintet.relay.media.S3Config;

/**
 * Attachment blobs (docs/relay-api.md, "Attachments"): where their bytes live ({@code blobs.store}:
 * {@code local}, files in the data directory, or {@code s3}, an S3-compatible object store that
 * every node of a cluster reaches, {@code blobs.s3.*}; {@code blobs.localDir} puts the local files
 * elsewhere than {@code DATA/blobs}, e.g. where the nodes of one machine share them), the largest
 * blob a device may upload, what one
 * account's blobs may take together, how long a complete blob lives (as long as a queued envelope
 * by default, so a device that comes back within that time finds both the message and its file) and
 * how long an unfinished upload waits to be finished.
 */
public record BlobsConfig(String store, Path localDir, long maxBytes, long quotaBytes, Duration ttl,
    Duration unfinishedTtl, S3Config s3) {
  private static final long MIB = 1L << 20;
  public static final String LOCAL = "local";
  public static final String S3 = "s3";

  static BlobsConfig from(Settings settings) {
    String store = settings.text("blobs.store");
    require(store.equals(LOCAL) || store.equals(S3), "blobs.store must be \"local\" or \"s3\"");
    String localDir = settings.optionalText("blobs.localDir");
    BlobsConfig config = new BlobsConfig(store,
        localDir != null ? Path.of(localDir) : Path.of(settings.text("dataDir")).resolve("blobs"),
        settings.integer("blobs.maxMiB") * MIB,
        settings.integer("blobs.quotaMiB") * MIB, Duration.ofDays(settings.integer("blobs.ttlDays")),
        Duration.ofHours(settings.integer("blobs.unfinishedHours")), store.equals(S3) ? s3(settings) : null);
    require(config.maxBytes >= MIB && config.maxBytes <= AttachmentCipher.blobSize(Limits.MAX_ATTACHMENT_SIZE),
        "blobs.maxMiB must be 1.." + AttachmentCipher.blobSize(Limits.MAX_ATTACHMENT_SIZE) / MIB);
    require(config.quotaBytes >= config.maxBytes, "blobs.quotaMiB must be at least blobs.maxMiB");
    require(!config.ttl.isNegative() && !config.ttl.isZero(), "blobs.ttlDays must be at least 1");
    require(!config.unfinishedTtl.isNegative() && !config.unfinishedTtl.isZero(), "blobs.unfinishedHours must be at least 1");
    return config;
  }

  private static S3Config s3(Settings settings) {
    for (String name : new String[] {"bucket", "accessKey", "secretKey"}) {
      require(settings.optionalText("blobs.s3." + name) != null, "blobs.s3." + name + " must be set with blobs.store \"s3\"");
    }
    return new S3Config(settings.optionalText("blobs.s3.endpoint"), settings.text("blobs.s3.region"),
        settings.text("blobs.s3.bucket"), settings.text("blobs.s3.accessKey"), settings.text("blobs.s3.secretKey"),
        settings.text("blobs.s3.prefix"), settings.bool("blobs.s3.pathStyle"));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
