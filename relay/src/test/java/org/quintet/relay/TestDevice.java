package org.quintet.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.MemoryPreKeyStore;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.SignedPreKey;
import org.quintet.relay.auth.Challenges;

/**
 * A device with real keys that speaks the relay API directly (no client library), so relay tests
 * can send exactly the requests they mean, good and bad. Blocks only the test thread.
 */
final class TestDevice {
  final String number;
  final IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
  final int registrationId = 1 + new java.security.SecureRandom().nextInt(Integer.MAX_VALUE - 1);
  /** The private halves of the prekeys this device uploaded. */
  final MemoryPreKeyStore preKeyStore = new MemoryPreKeyStore();
  final WebClient http;
  final String url;
  final Vertx vertx;
  long deviceId;
  String token;

  TestDevice(TestRelay relay, String number) {
    this.vertx = relay.vertx;
    this.http = WebClient.create(relay.vertx);
    this.url = relay.url();
    this.number = number;
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  JsonObject preKeys(long signedId, int oneTimeCount, long firstOneTimeId) {
    JsonArray oneTime = new JsonArray();
    for (int i = 0; i < oneTimeCount; i++) {
      OneTimePreKey.Pair pair = OneTimePreKey.generate(KeySource.secure(), firstOneTimeId + i);
      preKeyStore.addOneTimePreKey(firstOneTimeId + i, pair.keyPair());
      oneTime.add(b64(pair.record().encode()));
    }
    SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), identity, signedId);
    preKeyStore.addSignedPreKey(signedId, signed.keyPair());
    return new JsonObject().put("signedPreKey", b64(signed.record().encode())).put("oneTimePreKeys", oneTime);
  }

  byte[] primaryList(long version) {
    DeviceCert cert = DeviceCert.issue(identity, 1, identity.publicKey(), System.currentTimeMillis())
        .counterSign(identity);
    return DeviceList.sign(identity, version, System.currentTimeMillis(), List.of(cert));
  }

  /** Requests a code, reads it from the relay's sender, verifies: this device becomes the primary. */
  TestDevice registerAsPrimary(TestRelay relay) throws Exception {
    HttpResponse<Buffer> code = post("/v1/registration/code", new JsonObject().put("number", number), false);
    expect(code, 200);
    JsonObject verify = verifyRequest(relay.codes.codeFor(number));
    expect(post("/v1/registration/verify", verify, false), 200);
    deviceId = 1;
    login();
    return this;
  }

  JsonObject verifyRequest(String code) {
    return preKeys(1, 20, 1).put("number", number).put("code", code).put("registrationId", registrationId)
        .put("identityKey", b64(identity.publicKey().encode())).put("deviceList", b64(primaryList(1)))
        .put("name", "test primary").put("platform", "test");
  }

  void login() throws Exception {
    JsonObject challenge = expect(get("/v1/auth/challenge", false), 200);
    byte[] bytes = Base64.getDecoder().decode(challenge.getString("challenge"));
    byte[] signature = identity.sign(Challenges.signedBytes(bytes, number, deviceId));
    JsonObject answer = expect(post("/v1/auth/token", new JsonObject().put("number", number).put("deviceId", deviceId)
        .put("challenge", b64(bytes)).put("signature", b64(signature)), false), 200);
    token = answer.getString("token");
  }

  HttpResponse<Buffer> get(String path, boolean authenticated) throws Exception {
    var request = http.getAbs(url + path);
    if (authenticated) {
      request.bearerTokenAuthentication(token);
    }
    return TestRelay.await(request.send());
  }

  HttpResponse<Buffer> post(String path, JsonObject body, boolean authenticated) throws Exception {
    var request = http.postAbs(url + path);
    if (authenticated) {
      request.bearerTokenAuthentication(token);
    }
    return TestRelay.await(request.sendJsonObject(body));
  }

  HttpResponse<Buffer> put(String path, JsonObject body) throws Exception {
    return TestRelay.await(http.putAbs(url + path).bearerTokenAuthentication(token).sendJsonObject(body));
  }

  HttpResponse<Buffer> delete(String path) throws Exception {
    return TestRelay.await(http.deleteAbs(url + path).bearerTokenAuthentication(token).send());
  }

  static JsonObject expect(HttpResponse<Buffer> response, int status) {
    JsonObject body = response.body() == null ? new JsonObject() : response.bodyAsJsonObject();
    if (response.statusCode() != status) {
      throw new AssertionError("expected " + status + ", got " + response.statusCode() + " " + body);
    }
    return body;
  }

  /** An open delivery connection that collects what the relay sends. */
  final class Delivery implements AutoCloseable {
    final WebSocket socket;
    final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    volatile Short closeCode;
    volatile String closeReason;

    Delivery(WebSocket socket) {
      this.socket = socket;
      socket.binaryMessageHandler(frames::add);
      socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
      socket.closeHandler(v -> {
        closeCode = socket.closeStatusCode();
        closeReason = socket.closeReason();
        frames.add("closed");
      });
    }

    /** The next envelope, skipping events; empty when none comes in time. */
    Optional<Delivered> nextEnvelope(long timeoutMillis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (true) {
        Object frame = frames.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        if (frame == null || "closed".equals(frame)) {
          return Optional.empty();
        }
        if (frame instanceof Buffer buffer) {
          try {
            return Optional.of(new Delivered(buffer.getLong(1), Envelope.parse(buffer.getBytes(9, buffer.length()))));
          } catch (org.quintet.protocol.ProtocolException e) {
            throw new AssertionError("the relay sent a malformed envelope", e);
          }
        }
      }
    }

    /** The next text event of this type; empty when none comes in time. */
    Optional<JsonObject> nextEvent(String type, long timeoutMillis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (System.currentTimeMillis() < deadline) {
        Object frame = frames.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        if (frame instanceof JsonObject event && type.equals(event.getString("type"))) {
          return Optional.of(event);
        }
        if ("closed".equals(frame)) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    }

    void ack(long seq) {
      socket.writeTextMessage(new JsonObject().put("type", "ack").put("seq", seq).encode());
    }

    List<Delivered> drain(long quietMillis) throws InterruptedException {
      List<Delivered> out = new ArrayList<>();
      Optional<Delivered> next;
      while ((next = nextEnvelope(quietMillis)).isPresent()) {
        out.add(next.get());
      }
      return out;
    }

    @Override
    public void close() throws Exception {
      TestRelay.await(socket.close());
    }
  }

  record Delivered(long seq, Envelope envelope) {}

  Delivery connect() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    java.net.URI uri = java.net.URI.create(url);
    // Handlers are set in the connect callback, on the socket's event loop, before any frame is read.
    return TestRelay.await(client.connect(new WebSocketConnectOptions().setHost(uri.getHost())
        .setPort(uri.getPort()).setURI("/v1/websocket?token=" + token)).map(Delivery::new));
  }
}
