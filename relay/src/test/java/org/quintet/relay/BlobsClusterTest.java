package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quintet.relay.TestDevice.expectError;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.relay.media.S3Config;
import org.quintet.relay.media.S3ProxyServer;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * Attachment blobs in a cluster: two nodes over one Redis, their blobs in one S3-compatible store
 * (a real S3Proxy). An upload begun on one node goes on through the other, a blob uploaded through
 * one is downloaded through the other, and an account's quota holds across both.
 */
class BlobsClusterTest {
  private static final String ALICE = "+15550420001";
  private static final String BOB = "+15550420002";
  private static final int MIB = 1 << 20;

  @TempDir
  Path dir;
  RedisServer redis;
  S3ProxyServer s3;
  TestRelay first;
  TestRelay second;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    s3 = S3ProxyServer.start(dir.resolve("s3"));
    S3Config bucket = s3.createBucket("quintet-blobs", "blobs/");
    JsonObject s3Settings = new JsonObject().put("endpoint", bucket.endpoint()).put("region", bucket.region())
        .put("bucket", bucket.bucket()).put("accessKey", bucket.accessKey()).put("secretKey", bucket.secretKey())
        .put("prefix", bucket.prefix()).put("pathStyle", true);
    // One relay key for the cluster, as its nodes share it.
    JsonObject config = new JsonObject().put("relayKeyFile", dir.resolve("relay.key").toString())
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("blobs", new JsonObject().put("store", "s3").put("maxMiB", 1).put("quotaMiB", 2).put("s3", s3Settings));
    first = TestRelay.start(dir.resolve("node-1"), config);
    second = TestRelay.start(dir.resolve("node-2"), config);
  }

  @AfterEach
  void stop() throws Exception {
    second.close();
    first.close();
    s3.close();
    redis.close();
  }

  @Test
  void aBlobUploadedThroughOneNodeIsDownloadedThroughTheOther() throws Exception {
    TestDevice alice = new TestDevice(first, ALICE).registerAsPrimary(first);
    TestDevice bob = new TestDevice(second, BOB).registerAsPrimary(second);
    byte[] blob = BlobsTest.bytes(700_000, 11);
    String path = BlobsTest.create(alice, blob.length);
    assertEquals(204, BlobsTest.patch(alice, path, 0, Arrays.copyOf(blob, 300_000)).statusCode());
    alice.attach(second);
    assertEquals(204, BlobsTest.patch(alice, path, 300_000, Arrays.copyOfRange(blob, 300_000, blob.length)).statusCode(),
        "the upload goes on through the other node");

    assertArrayEquals(blob, BlobsTest.download(bob, path, null).body().getBytes());
    bob.attach(first);
    assertArrayEquals(Arrays.copyOfRange(blob, 500_000, blob.length),
        BlobsTest.download(bob, path, "bytes=500000-").body().getBytes());

    BlobsTest.create(alice, MIB);
    alice.attach(first);
    expectError(BlobsTest.tus(alice, HttpMethod.POST, "/v1/blobs", Map.of("Upload-Length", Integer.toString(MIB)), null),
        507, "OVER_QUOTA");
    try (Stream<Path> files = Files.walk(dir.resolve("node-1")); Stream<Path> more = Files.walk(dir.resolve("node-2"))) {
      assertFalse(Stream.concat(files, more).anyMatch(f -> f.toString().contains("blobs")),
          "no node keeps blobs on its own disk");
    }
  }
}
