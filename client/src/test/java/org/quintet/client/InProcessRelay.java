package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.quintet.relay.RelayConfig;
import org.quintet.relay.RelayServer;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.embedded.SqliteStorage;
import org.quintet.relay.verification.CodeSender;

/** A real relay node in this JVM, on 127.0.0.1 and a free port, with its own Vert.x and database. */
public final class InProcessRelay implements AutoCloseable {
  final Vertx vertx;
  final RelayStorage storage;
  final RelayServer server;
  private final Map<String, String> codes;

  private InProcessRelay(Vertx vertx, RelayStorage storage, RelayServer server, Map<String, String> codes) {
    this.vertx = vertx;
    this.storage = storage;
    this.server = server;
    this.codes = codes;
  }

  public static InProcessRelay start(Path dataDir) throws Exception {
    return start(dataDir, Clock.systemUTC());
  }

  /** A relay whose idea of the time is {@code clock}: the lifecycle rules count days by it. */
  public static InProcessRelay start(Path dataDir, Clock clock) throws Exception {
    Vertx vertx = Vertx.vertx();
    Map<String, String> codes = new ConcurrentHashMap<>();
    // The relay's pluggable verification sender: here it hands the code to the test instead of an SMS gateway.
    CodeSender inbox = (number, code) -> {
      codes.put(number, code);
      return Future.succeededFuture();
    };
    RelayConfig config = RelayConfig.fromJson(new JsonObject().put("host", "127.0.0.1").put("port", 0)
        .put("dataDir", dataDir.toString()));
    RelayStorage storage = await(SqliteStorage.open(vertx, dataDir));
    RelayServer server = await(RelayServer.start(vertx, config, storage, inbox, clock));
    return new InProcessRelay(vertx, storage, server, codes);
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
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

  @Override
  public void close() throws Exception {
    await(server.close().compose(v -> storage.close()));
    await(vertx.close());
  }
}
