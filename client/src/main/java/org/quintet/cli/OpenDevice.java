package org.quintet.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.quintet.client.QuintetClient;

/**
 * A verb's device: Vert.x and the client for the home, closed together. The verb's own thread
 * waits on the client's futures ({@link #await}); the client's work runs on its event loop.
 */
final class OpenDevice implements AutoCloseable {
  final Vertx vertx;
  final QuintetClient client;

  private OpenDevice(Vertx vertx, QuintetClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  static OpenDevice open(HomeOptions options) throws IOException {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    try {
      return new OpenDevice(vertx, QuintetClient.open(vertx, options.home, options.relay));
    } catch (IOException | RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** Blocks the calling (non event loop) thread until the future completes; rethrows its failure. */
  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      Throwable cause = Failures.unwrap(e);
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw e;
    }
  }

  /** {@link #await(Future)}, giving up after {@code timeout} with a {@link TimeoutException}. */
  static <T> T await(Future<T> future, Duration timeout) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = Failures.unwrap(e.getCause());
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      client.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
