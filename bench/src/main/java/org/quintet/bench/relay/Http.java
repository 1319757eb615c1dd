package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** JSON over HTTP to one endpoint; a non-2xx answer fails with the status and body. */
final class Http {
  /** Enough pooled connections that the relay, not the pool, is what queues requests. */
  private static final int POOL = 64;
  private final WebClient web;
  private final int port;

  Http(Vertx vertx, int port) {
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(POOL));
    this.port = port;
  }

  int port() {
    return port;
  }

  Future<JsonObject> call(HttpMethod method, String path, String token, JsonObject body) {
    return send(method, path, token, body == null ? null : body.toBuffer());
  }

  Future<JsonObject> send(HttpMethod method, String path, String token, Buffer body) {
    HttpRequest<Buffer> request = web.request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (body != null) {
      request.putHeader("content-type", "application/json");
    }
    return (body == null ? request.send() : request.sendBuffer(body)).compose(response -> {
      if (response.statusCode() / 100 != 2) {
        return Future.failedFuture(new IllegalStateException(method + " " + path + ": " + response.statusCode() + " "
            + response.bodyAsString()));
      }
      Buffer answer = response.body();
      return Future.succeededFuture(answer == null || answer.length() == 0 ? new JsonObject() : answer.toJsonObject());
    });
  }

  void close() {
    web.close();
  }
}
