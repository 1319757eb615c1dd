package org.quintet.relay;

import java.time.Duration;
import org.quintet.protocol.AttachmentCipher;
import org.quintet.protocol.Limits;

/**
 * Attachment blobs (docs/relay-api.md, "Attachments"): where their bytes live ({@code blobs.store}:
 * {@code local}, files in the data directory), the largest blob a device may upload, what one
 * account's blobs may take together, how long a complete blob lives (as long as a queued envelope
 * by default, so a device that comes back within that time finds both the message and its file) and
 * how long an unfinished upload waits to be finished.
 */
public record BlobsConfig(String store, long maxBytes, long quotaBytes, Duration ttl, Duration unfinishedTtl) {
  private static final long MIB = 1L << 20;
  public static final String LOCAL = "local";

  static BlobsConfig from(Settings settings) {
    BlobsConfig config = new BlobsConfig(settings.text("blobs.store"), settings.integer("blobs.maxMiB") * MIB,
        settings.integer("blobs.quotaMiB") * MIB, Duration.ofDays(settings.integer("blobs.ttlDays")),
        Duration.ofHours(settings.integer("blobs.unfinishedHours")));
    require(config.store.equals(LOCAL), "blobs.store must be \"local\"");
    require(config.maxBytes >= MIB && config.maxBytes <= AttachmentCipher.blobSize(Limits.MAX_ATTACHMENT_SIZE),
        "blobs.maxMiB must be 1.." + AttachmentCipher.blobSize(Limits.MAX_ATTACHMENT_SIZE) / MIB);
    require(config.quotaBytes >= config.maxBytes, "blobs.quotaMiB must be at least blobs.maxMiB");
    require(!config.ttl.isNegative() && !config.ttl.isZero(), "blobs.ttlDays must be at least 1");
    require(!config.unfinishedTtl.isNegative() && !config.unfinishedTtl.isZero(), "blobs.unfinishedHours must be at least 1");
    return config;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
