package org.quintet.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A relay that says what a test tells it to (honest or not), for the client's send path without
 * a real relay: it authenticates anyone, answers GETs from a table, records every send and
 * answers it with the next queued reply (200 when none is queued).
 */
final class FakeRelay implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  /** Keyed by {@code "GET /v1/accounts/%2B..."}. */
  final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
  final List<JsonObject> sends = new CopyOnWriteArrayList<>();
  final Queue<Reply> sendReplies = new ConcurrentLinkedQueue<>();
  /** Runs after each send was recorded, before it is answered: what changed on the relay meanwhile. */
  volatile Runnable afterSend = () -> { };

  record Reply(int status, JsonObject body) {}

  private FakeRelay(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static FakeRelay start(Vertx vertx) throws Exception {
    FakeRelay[] relay = new FakeRelay[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> relay[0].handle(request));
    relay[0] = new FakeRelay(vertx, server);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return relay[0];
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    String key = request.method() + " " + request.path();
    request.body().onSuccess(body -> {
      switch (key) {
        case "GET /v1/auth/challenge" -> reply(request, 200,
            new JsonObject().put("challenge", TestAccount.b64(new byte[32])).put("expiresInSeconds", 60));
        case "POST /v1/auth/token" -> reply(request, 200, new JsonObject().put("token", "t").put("expiresInSeconds", 900));
        case "POST /v1/messages" -> {
          sends.add(body.toJsonObject());
          afterSend.run();
          Reply next = sendReplies.poll();
          reply(request, next == null ? 200 : next.status(),
              next == null ? new JsonObject().put("serverTimestamp", 42) : next.body());
        }
        default -> {
          JsonObject answer = answers.get(key);
          if (answer == null) {
            reply(request, 404, new JsonObject().put("error", "NOT_FOUND").put("message", key));
          } else {
            reply(request, 200, answer);
          }
        }
      }
    });
  }

  private static void reply(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
