package org.quintet.relay.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable form of the {@link BlobStore} contract: every store has a subclass that opens a
 * fresh, empty one. The tests block their own thread only, waiting on futures.
 */
public abstract class BlobStoreContract {
  @TempDir
  protected Path scratch;
  protected Vertx vertx;
  protected BlobStore store;
  private int parts;

  /** Opens a fresh, empty store of the kind under test. */
  protected abstract Future<BlobStore> openEmpty(Vertx vertx, Path scratch);

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = await(openEmpty(vertx, scratch));
  }

  @AfterEach
  void close() throws Exception {
    await(store.close());
    await(vertx.close());
  }

  protected static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Bytes that tell their offset apart: byte i of a blob made with seed s is (i * 7 + s) mod 251. */
  protected static byte[] bytes(int length, int seed) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) ((i * 7L + seed) % 251);
    }
    return out;
  }

  /** A part file as an upload leaves it, with {@code extra} bytes after those to append. */
  protected Path part(byte[] content, int extra) throws Exception {
    Path file = scratch.resolve("part-" + parts++);
    Files.write(file, Arrays.copyOf(content, content.length + extra));
    return file;
  }

  protected Future<Void> append(String id, long offset, byte[] content) throws Exception {
    return store.append(id, offset, part(content, 3), content.length);
  }

  protected byte[] read(String id, long from, long length) throws Exception {
    Collecting out = new Collecting(vertx);
    await(store.read(id, from, length, out));
    return out.bytes.getBytes();
  }

  private static byte[] join(byte[]... parts) {
    Buffer all = Buffer.buffer();
    for (byte[] part : parts) {
      all.appendBytes(part);
    }
    return all.getBytes();
  }

  @Test
  void aBlobAppendedInPartsReadsWholeAndInRangesAcrossParts() throws Exception {
    byte[] a = bytes(1000, 1);
    byte[] b = bytes(70_000, 2);
    byte[] c = bytes(1, 3);
    await(append("blob-1-0123456789abcdef", 0, a));
    await(append("blob-1-0123456789abcdef", 1000, b));
    await(append("blob-1-0123456789abcdef", 71_000, c));
    await(store.complete("blob-1-0123456789abcdef", 71_001));
    byte[] whole = join(a, b, c);
    assertArrayEquals(whole, read("blob-1-0123456789abcdef", 0, whole.length));
    assertArrayEquals(Arrays.copyOfRange(whole, 999, 1001), read("blob-1-0123456789abcdef", 999, 2), "across the first two parts");
    assertArrayEquals(b, read("blob-1-0123456789abcdef", 1000, b.length), "one part exactly");
    assertArrayEquals(Arrays.copyOfRange(whole, 70_999, 71_001), read("blob-1-0123456789abcdef", 70_999, 2), "into the last part");
    assertArrayEquals(new byte[0], read("blob-1-0123456789abcdef", 5, 0));
  }

  @Test
  void anAppendTriedAgainAtTheSameOffsetReplacesWhatTheFirstTryWrote() throws Exception {
    byte[] a = bytes(100, 4);
    await(append("blob-2-0123456789abcdef", 0, a));
    await(append("blob-2-0123456789abcdef", 100, bytes(50, 5)));
    byte[] again = bytes(30, 6);
    await(append("blob-2-0123456789abcdef", 100, again));
    await(store.complete("blob-2-0123456789abcdef", 130));
    assertArrayEquals(join(a, again), read("blob-2-0123456789abcdef", 0, 130));
  }

  @Test
  void blobsAreApartAndADeletedOneIsGone() throws Exception {
    await(append("blob-3-0123456789abcdef", 0, bytes(10, 7)));
    await(store.complete("blob-3-0123456789abcdef", 10));
    await(append("blob-4-0123456789abcdef", 0, bytes(20, 8)));
    await(store.complete("blob-4-0123456789abcdef", 20));
    await(append("blob-5-0123456789abcdef", 0, bytes(5, 9)));
    await(store.delete("blob-3-0123456789abcdef"));
    await(store.delete("blob-5-0123456789abcdef"));
    await(store.delete("never-held-0123456789ab"));
    assertThrows(Exception.class, () -> read("blob-3-0123456789abcdef", 0, 10));
    assertArrayEquals(bytes(20, 8), read("blob-4-0123456789abcdef", 0, 20));
  }

  @Test
  void aLargeBlobReadsBackThroughASlowReader() throws Exception {
    int part = 1 << 20;
    byte[] whole = bytes(3 * part + 12_345, 10);
    for (int offset = 0; offset < whole.length; offset += part) {
      byte[] piece = Arrays.copyOfRange(whole, offset, Math.min(whole.length, offset + part));
      await(append("blob-6-0123456789abcdef", offset, piece));
    }
    await(store.complete("blob-6-0123456789abcdef", whole.length));
    Collecting slow = new Collecting(vertx);
    slow.slow = true;
    await(store.read("blob-6-0123456789abcdef", 0, whole.length, slow));
    assertArrayEquals(whole, slow.bytes.getBytes());
    assertArrayEquals(Arrays.copyOfRange(whole, part - 1, 2 * part + 1), read("blob-6-0123456789abcdef", part - 1, part + 2));
  }

  /** A write stream that keeps what it is given; slow, it says it is full after each write and drains later. */
  static final class Collecting implements WriteStream<Buffer> {
    private final Vertx vertx;
    final Buffer bytes = Buffer.buffer();
    boolean slow;
    private boolean full;
    private Handler<Void> drain;

    Collecting(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      bytes.appendBuffer(data);
      if (slow) {
        full = true;
        vertx.setTimer(1, t -> {
          full = false;
          Handler<Void> handler = drain;
          if (handler != null) {
            handler.handle(null);
          }
        });
      }
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
      return full;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drain = handler;
      return this;
    }
  }
}
