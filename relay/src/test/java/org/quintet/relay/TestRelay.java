package org.quintet.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.embedded.SqliteStorage;

/** A real relay node in this JVM, on 127.0.0.1 and a free port, over a real database. */
final class TestRelay implements AutoCloseable {
  final Vertx vertx;
  final RecordingCodeSender codes;
  final RelayStorage storage;
  final RelayServer server;
  final Path dataDir;

  private TestRelay(Vertx vertx, Path dataDir, RelayStorage storage, RelayServer server, RecordingCodeSender codes) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.storage = storage;
    this.server = server;
    this.codes = codes;
  }

  static TestRelay start(Path dataDir) throws Exception {
    return start(dataDir, new JsonObject());
  }

  static TestRelay start(Path dataDir, JsonObject config) throws Exception {
    Vertx vertx = Vertx.vertx();
    RelayConfig settings = RelayConfig.fromJson(config.copy().put("host", "127.0.0.1").put("port", 0)
        .put("dataDir", dataDir.toString()));
    RecordingCodeSender codes = new RecordingCodeSender();
    RelayStorage storage = await(SqliteStorage.open(vertx, dataDir));
    RelayServer server = await(RelayServer.start(vertx, settings, storage, codes, Clock.systemUTC()));
    return new TestRelay(vertx, dataDir, storage, server, codes);
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(server.close().compose(v -> storage.close()));
    await(vertx.close());
  }
}
