package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.quintet.relay.Backend;
import org.quintet.relay.RelayConfig;
import org.quintet.relay.RelayServer;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.verification.CodeSender;

/**
 * A real relay node in this JVM, on 127.0.0.1 and a free port, with its own Vert.x and database,
 * or, given a Redis URL, one node of a cluster over that Redis.
 */
public final class InProcessRelay implements AutoCloseable {
  final Vertx vertx;
  final Backend backend;
  final RelayStorage storage;
  final RelayServer server;
  private final Map<String, String> codes;
  private final Path dataDir;
  private final Clock clock;
  private final JsonObject settings;

  private InProcessRelay(Vertx vertx, Backend backend, RelayServer server, Map<String, String> codes, Path dataDir,
      Clock clock, JsonObject settings) {
    this.vertx = vertx;
    this.backend = backend;
    this.storage = backend.storage();
    this.server = server;
    this.codes = codes;
    this.dataDir = dataDir;
    this.clock = clock;
    this.settings = settings;
  }

  public static InProcessRelay start(Path dataDir) throws Exception {
    return start(dataDir, Clock.systemUTC());
  }

  /** A relay whose idea of the time is {@code clock}: the lifecycle rules count days by it. */
  public static InProcessRelay start(Path dataDir, Clock clock) throws Exception {
    return start(dataDir, clock, new JsonObject());
  }

  /** A relay with these settings over the defaults, read as {@code conf/quintet.json} is (e.g. {@code {"limits": {...}}}). */
  public static InProcessRelay start(Path dataDir, JsonObject settings) throws Exception {
    return start(dataDir, Clock.systemUTC(), settings);
  }

  /** A relay serving HTTPS with the certificate it makes itself, on {@code host} (in its names). */
  public static InProcessRelay https(Path dataDir, String host) throws Exception {
    return start(dataDir, Clock.systemUTC(), new JsonObject().put("host", host)
        .put("tls", new JsonObject().put("enabled", true)));
  }

  /** A node of a cluster: every node started with the same Redis URL serves the same accounts. */
  public static InProcessRelay cluster(Path dataDir, String redisUrl) throws Exception {
    return start(dataDir, Clock.systemUTC(), new JsonObject().put("redis", new JsonObject().put("url", redisUrl)));
  }

  /**
   * Stops this relay as an operator stops it (its devices are told 1001 going-away) and starts it
   * again on the same port and data, as a restarted node.
   */
  public InProcessRelay restart() throws Exception {
    int port = server.port();
    await(server.close(Duration.ofSeconds(5)).compose(v -> backend.close()));
    await(vertx.close());
    return start(dataDir, clock, settings.copy().put("port", port));
  }

  private static InProcessRelay start(Path dataDir, Clock clock, JsonObject settings) throws Exception {
    Vertx vertx = Vertx.vertx();
    Map<String, String> codes = new ConcurrentHashMap<>();
    // The relay's pluggable verification sender: here it hands the code to the test instead of an SMS gateway.
    CodeSender inbox = new CodeSender() {
      @Override
      public Future<Void> send(String number, String code) {
        codes.put(number, code);
        return Future.succeededFuture();
      }

      @Override
      public String channel() {
        return "log";
      }
    };
    RelayConfig config = RelayConfig.fromJson(new JsonObject().put("port", 0).put("host", "127.0.0.1")
        .mergeIn(settings).put("dataDir", dataDir.toString()));
    Backend backend = await(Backend.open(vertx, config, clock));
    RelayServer server = await(RelayServer.start(vertx, config, backend, inbox, clock));
    return new InProcessRelay(vertx, backend, server, codes, dataDir, clock, settings);
  }

  public String url() {
    return server.urls().get(0);
  }

  /** The public-key pin of the certificate an HTTPS relay serves, as it prints it at start. */
  public String publicKeyPin() {
    return server.certificate().publicKeyPin();
  }

  /** The SHA-256 fingerprint of the certificate an HTTPS relay serves. */
  public String fingerprint() {
    return server.certificate().fingerprint();
  }

  /** The last registration code the relay sent to the number. */
  public String codeFor(String number) {
    String code = codes.get(number);
    if (code == null) {
      throw new AssertionError("the relay sent no code to " + number);
    }
    return code;
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * The node dies: its process goes without closing anything (its sockets drop with no close
   * frame, as when a machine loses power or a process is killed), then a new node starts on the
   * same port and data.
   */
  public InProcessRelay crashAndStartAgain() throws Exception {
    int port = server.port();
    // The storage's writes are durable as they are answered; closing it only frees the database.
    await(backend.close());
    await(vertx.close());
    return start(dataDir, clock, settings.copy().put("port", port));
  }

  @Override
  public void close() throws Exception {
    await(server.close(Duration.ZERO).compose(v -> backend.close()));
    await(vertx.close());
  }
}
