package org.quintet.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.quintet.client.LocalStore;
import org.quintet.client.NotRegisteredException;
import org.quintet.client.QuintetClient;

/**
 * A verb's device: Vert.x and the client for the home, closed together. The verb's own thread
 * waits on the client's futures ({@link #await}); the client's work runs on its event loop.
 */
final class OpenDevice implements AutoCloseable {
  /** Homes a long-running verb of this process holds ({@link HomeServer}), by absolute path. */
  private static final Map<Path, OpenDevice> HELD = new ConcurrentHashMap<>();
  final Vertx vertx;
  final QuintetClient client;
  /** A held device lent to a verb: the verb's close leaves it open. */
  private final boolean borrowed;

  private OpenDevice(Vertx vertx, QuintetClient client, boolean borrowed) {
    this.vertx = vertx;
    this.client = client;
    this.borrowed = borrowed;
  }

  static void hold(Path home, OpenDevice device) {
    HELD.put(home.toAbsolutePath().normalize(), device);
  }

  static void release(Path home) {
    HELD.remove(home.toAbsolutePath().normalize());
  }

  static Optional<OpenDevice> held(Path home) {
    return Optional.ofNullable(HELD.get(home.toAbsolutePath().normalize()));
  }

  /** The home's device: the one this process holds, lent, or opened here. */
  static OpenDevice open(HomeOptions options) throws IOException {
    Optional<OpenDevice> held = held(options.home);
    if (held.isPresent()) {
      return new OpenDevice(held.get().vertx, held.get().client, true);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    try {
      return new OpenDevice(vertx, QuintetClient.open(vertx, options.home, options.relay, options.relayPins()),
          false);
    } catch (IOException | RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** For a verb that only reads what the home keeps: a home that is no account's device has nothing to show. */
  void requireRegistered(HomeOptions options) {
    if (client.store().status() != LocalStore.Status.REGISTERED) {
      throw new NotRegisteredException("not registered; run: "
          + Launcher.command("register", "NUMBER", "--home", options.home.toString()));
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
    if (borrowed) {
      return;
    }
    try {
      client.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
