package org.quintet.bench.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.quintet.protocol.Envelope;

/**
 * The baseline: the least a relay can do with the same requests. No authentication (the token
 * is "number/deviceId"), no storage, no checks: each copy in a {@code POST /v1/messages} becomes
 * an envelope pushed to the target's socket if it is connected, then 200. Acks are ignored.
 */
public final class Forwarder {
  private final Map<String, ServerWebSocket> sockets = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Forwarder forwarder = new Forwarder();
    vertx.createHttpServer()
        .webSocketHandler(forwarder::connect)
        .requestHandler(forwarder::request)
        .listen(port, "127.0.0.1")
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  private void connect(ServerWebSocket socket) {
    String token = URLDecoder.decode(socket.query().replaceFirst("^token=", ""), StandardCharsets.UTF_8);
    sockets.put(token, socket);
    socket.closeHandler(v -> sockets.remove(token, socket));
    socket.textMessageHandler(ack -> { });
  }

  private void request(HttpServerRequest request) {
    if (request.path().equals("/healthz")) {
      request.response().end("{\"status\":\"ok\"}");
      return;
    }
    String sender = request.getHeader("authorization").substring("Bearer ".length());
    String source = sender.substring(0, sender.indexOf('/'));
    long sourceDevice = Long.parseLong(sender.substring(sender.indexOf('/') + 1));
    request.body().onSuccess(body -> {
      JsonObject send = body.toJsonObject();
      byte[] messageId = Base64.getDecoder().decode(send.getString("messageId"));
      long now = System.currentTimeMillis();
      JsonArray recipients = send.getJsonArray("recipients");
      for (int i = 0; i < recipients.size(); i++) {
        JsonObject recipient = recipients.getJsonObject(i);
        JsonArray messages = recipient.getJsonArray("messages");
        for (int j = 0; j < messages.size(); j++) {
          JsonObject copy = messages.getJsonObject(j);
          ServerWebSocket target = sockets.get(recipient.getString("number") + "/" + copy.getLong("deviceId"));
          if (target != null) {
            Envelope envelope = new Envelope(copy.getInteger("kind"), messageId, send.getLong("timestamp"), now,
                source, sourceDevice, copy.getLong("deviceId"), Base64.getDecoder().decode(copy.getString("content")));
            target.writeBinaryMessage(Frames.envelope(seq.incrementAndGet(), envelope.encode()));
          }
        }
      }
      request.response().putHeader("content-type", "application/json").end("{\"serverTimestamp\":" + now + "}");
    });
  }
}
