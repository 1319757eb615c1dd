package org.quintet.relay.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The contract against a real S3 server, one for the class, each test with a bucket of its own. */
class S3BlobStoreTest extends BlobStoreContract {
  private static final String PREFIX = "quintet/blobs/";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir
  static Path serverDir;
  private static S3ProxyServer server;
  private S3Config config;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start(serverDir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected Future<BlobStore> openEmpty(Vertx vertx, Path scratch) {
    return vertx.executeBlocking(() -> {
      config = server.createBucket("blobs-" + BUCKETS.incrementAndGet(), PREFIX);
      return new S3BlobStore(vertx, config);
    });
  }

  @Test
  void theBucketHoldsTheAppendedBytesUnderTheIdAndOffsetsAlone() throws Exception {
    byte[] a = bytes(1000, 21);
    byte[] b = bytes(3000, 22);
    await(append("blob-7-0123456789abcdef", 0, a));
    await(append("blob-7-0123456789abcdef", 1000, b));
    await(store.complete("blob-7-0123456789abcdef", 4000));

    List<String> keys;
    try (S3Client s3 = config.client()) {
      keys = s3.listObjectsV2Paginator(list -> list.bucket(config.bucket())).contents().stream()
          .map(S3Object::key).toList();
      for (String key : keys) {
        assertTrue(s3.headObject(head -> head.bucket(config.bucket()).key(key)).metadata().isEmpty(),
            "no metadata on " + key);
      }
    }
    assertEquals(List.of(PREFIX + "blob-7-0123456789abcdef/0000000000000000000",
        PREFIX + "blob-7-0123456789abcdef/0000000000000001000"), keys);

    Path bucketDir = server.objects().resolve(config.bucket());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(bucketDir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    assertEquals(keys.stream().map(bucketDir::resolve).toList(), files, "a file for each object, nothing else");
    ByteArrayOutputStream onDisk = new ByteArrayOutputStream();
    for (Path file : files) {
      onDisk.write(Files.readAllBytes(file));
    }
    assertArrayEquals(Buffer.buffer(a).appendBytes(b).getBytes(), onDisk.toByteArray(),
        "the appended bytes, without the part files' extra ones");
  }

  @Test
  void aReadGoesOnWhenTheServerDropsTheResponseOfASlowReader() throws Exception {
    // More than the sockets' buffers hold, so that the server is still sending when it goes.
    byte[] whole = bytes(32 << 20, 23);
    await(append("blob-8-0123456789abcdef", 0, whole));
    await(store.complete("blob-8-0123456789abcdef", whole.length));
    HeldStream out = new HeldStream();
    Future<Void> reading = store.read("blob-8-0123456789abcdef", 0, whole.length, out);
    Context context = out.firstWrite.get(60, TimeUnit.SECONDS);
    server.restart();
    out.release(context);
    await(reading);
    assertArrayEquals(whole, out.bytes.getBytes());
  }

  /** A write stream that says it is full until it is released: a read writes a chunk and waits. */
  private static final class HeldStream implements WriteStream<Buffer> {
    final Buffer bytes = Buffer.buffer();
    final CompletableFuture<Context> firstWrite = new CompletableFuture<>();
    private boolean held = true;
    private Handler<Void> drain;

    void release(Context context) {
      context.runOnContext(v -> {
        held = false;
        if (drain != null) {
          drain.handle(null);
        }
      });
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      bytes.appendBuffer(data);
      firstWrite.complete(Vertx.currentContext());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return held;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drain = handler;
      return this;
    }
  }
}
