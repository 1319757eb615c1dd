package org.quintet.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.verification.CodeSender;

/**
 * A real relay node in this JVM, on 127.0.0.1 and a free port (unless the test names others), over a real database, with a clock
 * the test can move forward. Starting another one on the same data directory after closing this
 * one is a restart.
 */
final class TestRelay implements AutoCloseable {
  final Vertx vertx;
  final RecordingCodeSender codes;
  final Backend backend;
  final RelayStorage storage;
  final RelayServer server;
  final Path dataDir;
  final RelayConfig config;
  final TestClock clock;
  private boolean closed;

  private TestRelay(Vertx vertx, Path dataDir, RelayConfig config, Backend backend, RelayServer server,
      RecordingCodeSender codes, TestClock clock) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.config = config;
    this.backend = backend;
    this.storage = backend.storage();
    this.server = server;
    this.codes = codes;
    this.clock = clock;
  }

  static TestRelay start(Path dataDir) throws Exception {
    return start(dataDir, new JsonObject());
  }

  /** {@code config} is read as {@code conf/quintet.json} is (e.g. {@code {"limits": {...}}}). */
  static TestRelay start(Path dataDir, JsonObject config) throws Exception {
    return start(dataDir, config, vertx -> null);
  }

  /**
   * The same, with the verification sender {@code sender} makes on the node's Vert.x (a real one,
   * such as the webhook sender); when it makes none, the node records the codes in {@link #codes}.
   */
  static TestRelay start(Path dataDir, JsonObject config, Function<Vertx, CodeSender> sender) throws Exception {
    JsonObject json = config.copy().put("dataDir", dataDir.toString());
    if (!json.containsKey("host")) {
      json.put("host", "127.0.0.1");
    }
    if (!json.containsKey("port")) {
      json.put("port", 0);
    }
    RelayConfig settings = RelayConfig.fromJson(json);
    // As RelayMain starts a node: Vert.x's own meters go to the relay's registry.
    RelayMetrics metrics = RelayMetrics.of(settings.observability().metricsEnabled());
    Vertx vertx = metrics.newVertx();
    RecordingCodeSender codes = new RecordingCodeSender();
    TestClock clock = new TestClock();
    Backend backend = await(Backend.open(vertx, settings, clock, metrics));
    try {
      CodeSender chosen = sender.apply(vertx);
      RelayServer server = await(RelayServer.start(vertx, settings, backend, chosen == null ? codes : chosen, clock));
      return new TestRelay(vertx, dataDir, settings, backend, server, codes, clock);
    } catch (Exception e) {
      await(backend.close().transform(v -> vertx.close()));
      throw e;
    }
  }

  String url() {
    return config.tls().scheme() + "://" + ListenAddresses.urlHost(config.host()) + ":" + server.port();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  long queueSize(String number, long deviceId) throws Exception {
    return await(storage.queueSize(number, deviceId));
  }

  int oneTimePreKeys(String number, long deviceId) throws Exception {
    return await(storage.oneTimePreKeyCount(number, deviceId));
  }

  /** Closes the node, then its backend (the embedded database checkpoints), then its Vert.x. */
  @Override
  public void close() throws ExecutionException, TimeoutException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close(Duration.ZERO).compose(v -> backend.close()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the relay", e);
    }
  }
}
