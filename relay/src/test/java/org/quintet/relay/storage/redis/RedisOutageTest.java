package org.quintet.relay.storage.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quintet.relay.storage.QueuedEnvelope;
import org.quintet.relay.storage.StoredEnvelope;

/** What the storage does when Redis's process is killed and started again. */
class RedisOutageTest {
  private static final String NUMBER = "+15550000001";

  @Test
  @Timeout(60)
  void callsFailFastWhileRedisIsDownAndWorkAgainWhenItIsBack() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisServer server = RedisServer.start()) {
      RedisStorage storage = RedisStorage.standalone(vertx, server.url());
      get(storage.enqueue(List.of(new QueuedEnvelope(NUMBER, 1, "kept".getBytes(UTF_8), Long.MAX_VALUE))));

      server.killProcess();
      assertFailsWithin(storage.queueSize(NUMBER, 1), 3, "the first call after the kill");
      assertFailsWithin(storage.queueSize(NUMBER, 1), 0.1, "a call while Redis is known to be down");

      server.restart();
      // Calls keep failing until the storage's probe has found Redis again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      List<StoredEnvelope> queue = null;
      while (queue == null && System.nanoTime() < deadline) {
        try {
          queue = get(storage.peek(NUMBER, 1, 0, 10));
        } catch (ExecutionException stillDown) {
          Thread.sleep(20);
        }
      }

      assertNotNull(queue, "the storage works again within 20 s of Redis coming back");
      assertEquals(List.of("kept"), queue.stream().map(e -> new String(e.envelope(), UTF_8)).toList(),
          "an acknowledged enqueue survives a kill of the Redis process (its writes were in the page "
              + "cache: this holds whatever appendfsync says)");
      get(storage.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void assertFailsWithin(Future<?> call, double seconds, String what) throws InterruptedException {
    long start = System.nanoTime();
    try {
      get(call);
      throw new AssertionError(what + " succeeded");
    } catch (ExecutionException | TimeoutException expected) {
      assertTrue(expected instanceof ExecutionException, what + " hangs");
    }
    assertTrue(System.nanoTime() - start < seconds * 1e9, what + " took longer than " + seconds + " s");
  }

  private static <T> T get(Future<T> future) throws ExecutionException, InterruptedException, TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
