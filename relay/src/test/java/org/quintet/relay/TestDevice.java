package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.MemoryPreKeyStore;
import org.quintet.protocol.MessageType;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.Session;
import org.quintet.protocol.SignedPreKey;
import org.quintet.protocol.X3dh;
import org.quintet.relay.auth.Challenges;

/**
 * A device with real keys that speaks the relay API directly (no client library), so relay tests
 * can send exactly the requests they mean, good and bad. Blocks only the test thread.
 *
 * <p>A primary keeps the certificates of its signed device list and its version, so it can link
 * companions and sign the next list. Every device keeps the sessions it set up or accepted, so
 * what the relay carries is real ciphertext that the recipient decrypts.
 */
final class TestDevice {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long TIMEOUT_MILLIS = 10_000;

  final String number;
  final IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
  final int registrationId = 1 + RANDOM.nextInt(Integer.MAX_VALUE - 1);
  /** The private halves of the prekeys this device uploaded. */
  final MemoryPreKeyStore preKeyStore = new MemoryPreKeyStore();
  /** Sessions with other devices, by {@code number/deviceId}. */
  final Map<String, Session> sessions = new HashMap<>();
  /** A primary's signed device list: its certificates in id order, and its version. */
  final List<DeviceCert> listCerts = new ArrayList<>();
  long listVersion;
  /** The certificate a companion linked with, until its primary lists it. */
  DeviceCert pendingCert;
  Vertx vertx;
  WebClient http;
  String url;
  long deviceId;
  String token;
  /** The address this device connects from (null: the system's choice, 127.0.0.1 on loopback). */
  String localAddress;
  /** An {@code X-Forwarded-For} every request and socket of this device carries (null: none). */
  String forwardedFor;

  TestDevice(TestRelay relay, String number) {
    this(relay.vertx, relay.url(), number);
  }

  TestDevice(Vertx vertx, String url, String number) {
    this.number = number;
    attach(vertx, url);
  }

  /** Points this device at another relay node (a restarted one): same keys, same token. */
  TestDevice attach(TestRelay relay) {
    return attach(relay.vertx, relay.url());
  }

  TestDevice attach(Vertx vertx, String url) {
    this.vertx = vertx;
    this.http = WebClient.create(vertx, new WebClientOptions().setLocalAddress(localAddress));
    this.url = url;
    return this;
  }

  /** Connects from {@code address} (a loopback address such as 127.0.0.2) from now on. */
  TestDevice from(String address) {
    this.localAddress = address;
    return attach(vertx, url);
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] unb64(String text) {
    return Base64.getDecoder().decode(text);
  }

  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static byte[] messageId() {
    return randomBytes(Envelope.MESSAGE_ID_LENGTH);
  }

  String path() {
    return number.replace("+", "%2B");
  }

  @Override
  public String toString() {
    return number + "/" + deviceId;
  }

  // --- keys, registration, login --------------------------------------------------------------

  JsonObject preKeys(long signedId, int oneTimeCount, long firstOneTimeId) {
    SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), identity, signedId);
    preKeyStore.addSignedPreKey(signedId, signed.keyPair());
    return new JsonObject().put("signedPreKey", b64(signed.record().encode()))
        .put("oneTimePreKeys", oneTimePreKeys(oneTimeCount, firstOneTimeId));
  }

  JsonArray oneTimePreKeys(int count, long firstId) {
    JsonArray oneTime = new JsonArray();
    for (int i = 0; i < count; i++) {
      OneTimePreKey.Pair pair = OneTimePreKey.generate(KeySource.secure(), firstId + i);
      preKeyStore.addOneTimePreKey(firstId + i, pair.keyPair());
      oneTime.add(b64(pair.record().encode()));
    }
    return oneTime;
  }

  DeviceCert ownPrimaryCert() {
    return DeviceCert.issue(identity, 1, identity.publicKey(), System.currentTimeMillis()).counterSign(identity);
  }

  byte[] primaryList(long version) {
    return DeviceList.sign(identity, version, System.currentTimeMillis(), List.of(ownPrimaryCert()));
  }

  /** Requests a code, reads it from the relay's sender, verifies: this device becomes the primary. */
  TestDevice registerAsPrimary(TestRelay relay) throws Exception {
    return registerAsPrimary(relay.codes::codeFor);
  }

  TestDevice registerAsPrimary(Function<String, String> codes) throws Exception {
    expect(post("/v1/registration/code", new JsonObject().put("number", number), false), 200);
    DeviceCert own = ownPrimaryCert();
    JsonObject verify = verifyRequest(codes.apply(number), own);
    expect(post("/v1/registration/verify", verify, false), 200);
    deviceId = 1;
    listCerts.clear();
    listCerts.add(own);
    listVersion = 1;
    login();
    return this;
  }

  JsonObject verifyRequest(String code) {
    return verifyRequest(code, ownPrimaryCert());
  }

  JsonObject verifyRequest(String code, DeviceCert own) {
    byte[] list = DeviceList.sign(identity, 1, System.currentTimeMillis(), List.of(own));
    return preKeys(1, 20, 1).put("number", number).put("code", code).put("registrationId", registrationId)
        .put("identityKey", b64(identity.publicKey().encode())).put("deviceList", b64(list))
        .put("name", "test primary").put("platform", "test");
  }

  void login() throws Exception {
    token = expect(post("/v1/auth/token", loginRequest(), false), 200).getString("token");
  }

  JsonObject loginRequest() throws Exception {
    JsonObject challenge = expect(get("/v1/auth/challenge", false), 200);
    byte[] bytes = unb64(challenge.getString("challenge"));
    byte[] signature = identity.sign(Challenges.signedBytes(bytes, number, deviceId));
    return new JsonObject().put("number", number).put("deviceId", deviceId).put("challenge", b64(bytes))
        .put("signature", b64(signature));
  }

  // --- linking and the device list (a primary's side, and a companion's) ------------------------

  /** A new identity for this device's number, on the same relay; not linked yet. */
  TestDevice newCompanion() {
    return new TestDevice(vertx, url, number);
  }

  /** The account's half of a certificate for {@code companion} as device {@code id}, counter-signed by it. */
  DeviceCert certify(TestDevice companion, long id) {
    return DeviceCert.issue(identity, id, companion.identity.publicKey(), System.currentTimeMillis())
        .counterSign(companion.identity);
  }

  JsonObject linkRequest(DeviceCert cert) {
    return preKeys(1, 20, 1).put("number", number).put("cert", b64(cert.encode()))
        .put("registrationId", registrationId).put("name", "test companion").put("platform", "test");
  }

  /** This device (a companion) asks to be admitted with {@code cert}. */
  HttpResponse<Buffer> link(DeviceCert cert) throws Exception {
    return post("/v1/devices/link", linkRequest(cert), false);
  }

  /**
   * The whole linking flow, seen from the primary: certify a new companion as device {@code id},
   * the companion links and logs in, and the primary signs it into the next list.
   */
  TestDevice linkCompanion(long id) throws Exception {
    TestDevice companion = linkUnlisted(id);
    addToList(companion, id);
    return companion;
  }

  /** A companion that is linked (registered) and logged in, but not in the signed list yet. */
  TestDevice linkUnlisted(long id) throws Exception {
    TestDevice companion = newCompanion();
    DeviceCert cert = certify(companion, id);
    JsonObject linked = expect(companion.link(cert), 200);
    if (linked.getLong("deviceId") != id) {
      throw new AssertionError("linked as " + linked);
    }
    companion.deviceId = id;
    companion.login();
    companion.pendingCert = cert;
    return companion;
  }

  void addToList(TestDevice companion, long id) throws Exception {
    List<DeviceCert> next = new ArrayList<>(listCerts);
    next.add(companion.pendingCert != null ? companion.pendingCert : certify(companion, id));
    next.sort((a, b) -> Long.compare(a.deviceId(), b.deviceId()));
    uploadList(next);
  }

  void removeFromList(long id) throws Exception {
    List<DeviceCert> next = new ArrayList<>(listCerts);
    next.removeIf(cert -> cert.deviceId() == id);
    uploadList(next);
  }

  /** Signs {@code certs} as the next version and uploads it; the relay must accept it. */
  void uploadList(List<DeviceCert> certs) throws Exception {
    byte[] list = DeviceList.sign(identity, listVersion + 1, System.currentTimeMillis(), certs);
    JsonObject answer = expect(putList(list, listVersion), 200);
    listVersion = answer.getLong("deviceListVersion");
    listCerts.clear();
    listCerts.addAll(certs);
  }

  byte[] signList(long version, List<DeviceCert> certs) {
    return DeviceList.sign(identity, version, System.currentTimeMillis(), certs);
  }

  HttpResponse<Buffer> putList(byte[] list, long expectedVersion) throws Exception {
    return put("/v1/devices/list", new JsonObject().put("deviceList", b64(list)).put("expectedVersion",
        expectedVersion));
  }

  // --- sessions and messages --------------------------------------------------------------------

  /** The session with {@code target}, set up from a bundle fetched from the relay when there is none. */
  Session sessionWith(TestDevice target) throws Exception {
    String key = target.number + "/" + target.deviceId;
    Session session = sessions.get(key);
    if (session == null) {
      JsonObject keys = expect(get("/v1/keys/" + target.path() + "/" + target.deviceId, true), 200);
      JsonObject entry = keys.getJsonArray("devices").getJsonObject(0);
      PreKeyBundle bundle = PreKeyBundle.parse(unb64(entry.getString("bundle")));
      session = X3dh.initiate(KeySource.secure(), identity, bundle);
      sessions.put(key, session);
    }
    return session;
  }

  /** One entry of a send's {@code messages}: {@code plaintext} encrypted for {@code target}. */
  JsonObject encryptFor(TestDevice target, String plaintext) throws Exception {
    byte[] content = sessionWith(target).encrypt(plaintext.getBytes(StandardCharsets.UTF_8));
    int kind = MessageType.ofSessionMessage(content) == MessageType.PREKEY
        ? Envelope.KIND_PREKEY_MESSAGE : Envelope.KIND_RATCHET_MESSAGE;
    return new JsonObject().put("deviceId", target.deviceId).put("registrationId", target.registrationId)
        .put("kind", kind).put("content", b64(content));
  }

  /** A send request with {@code plaintext} for each of {@code targets}, grouped by number. */
  JsonObject sendRequest(byte[] messageId, String plaintext, List<TestDevice> targets) throws Exception {
    Map<String, JsonArray> groups = new LinkedHashMap<>();
    for (TestDevice target : targets) {
      groups.computeIfAbsent(target.number, n -> new JsonArray()).add(encryptFor(target, plaintext));
    }
    JsonArray recipients = new JsonArray();
    groups.forEach((n, messages) -> recipients.add(new JsonObject().put("number", n).put("messages", messages)));
    return new JsonObject().put("messageId", b64(messageId)).put("timestamp", System.currentTimeMillis())
        .put("recipients", recipients);
  }

  HttpResponse<Buffer> send(String plaintext, TestDevice... targets) throws Exception {
    return post("/v1/messages", sendRequest(messageId(), plaintext, List.of(targets)), true);
  }

  /** Decrypts a delivered envelope of kind 1 or 2 with the session its source set up. */
  String decrypt(Envelope envelope) throws ProtocolException {
    String key = envelope.source() + "/" + envelope.sourceDevice();
    Session session = sessions.get(key);
    if (session != null) {
      try {
        return new String(session.decrypt(envelope.content()), StandardCharsets.UTF_8);
      } catch (ProtocolException e) {
        // Both sides set up a session at once: the other side's prekey message starts a new one.
        if (e.error() != ProtocolError.WRONG_SESSION) {
          throw e;
        }
      }
    }
    X3dh.Accepted accepted = X3dh.accept(KeySource.secure(), identity, preKeyStore, envelope.content());
    sessions.put(key, accepted.session());
    return new String(accepted.plaintext(), StandardCharsets.UTF_8);
  }

  // --- HTTP -------------------------------------------------------------------------------------

  HttpResponse<Buffer> get(String path, boolean authenticated) throws Exception {
    return TestRelay.await(authorize(http.getAbs(url + path), authenticated).send());
  }

  HttpResponse<Buffer> get(String path) throws Exception {
    return get(path, true);
  }

  HttpResponse<Buffer> post(String path, JsonObject body, boolean authenticated) throws Exception {
    return TestRelay.await(authorize(http.postAbs(url + path), authenticated).sendJsonObject(body));
  }

  /** A request that is not waited for, to run many at once. */
  io.vertx.core.Future<HttpResponse<Buffer>> postAsync(String path, JsonObject body, boolean authenticated) {
    return authorize(http.postAbs(url + path), authenticated).sendJsonObject(body);
  }

  HttpResponse<Buffer> put(String path, JsonObject body) throws Exception {
    return TestRelay.await(authorize(http.putAbs(url + path), true).sendJsonObject(body));
  }

  HttpResponse<Buffer> delete(String path) throws Exception {
    return TestRelay.await(authorize(http.deleteAbs(url + path), true).send());
  }

  /**
   * Any request, byte for byte: {@code authorization} is the whole header value (null: none),
   * {@code body} null sends none.
   */
  HttpResponse<Buffer> raw(HttpMethod method, String path, String authorization, String contentType, Buffer body)
      throws Exception {
    HttpRequest<Buffer> request = http.requestAbs(method, url + path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return TestRelay.await(body == null ? request.send() : request.sendBuffer(body));
  }

  private HttpRequest<Buffer> authorize(HttpRequest<Buffer> request, boolean authenticated) {
    if (forwardedFor != null) {
      request.putHeader("X-Forwarded-For", forwardedFor);
    }
    if (authenticated) {
      request.bearerTokenAuthentication(token);
    }
    return request;
  }

  static JsonObject expect(HttpResponse<Buffer> response, int status) {
    JsonObject body = response.body() == null ? new JsonObject() : response.bodyAsJsonObject();
    if (response.statusCode() != status) {
      throw new AssertionError("expected " + status + ", got " + response.statusCode() + " " + body);
    }
    return body;
  }

  /** Expects an error answer: the status, a JSON body with this code and a message. */
  static JsonObject expectError(HttpResponse<Buffer> response, int status, String code) {
    JsonObject body;
    try {
      body = response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      throw new AssertionError("expected a JSON error " + status + " " + code + ", got " + response.statusCode()
          + " " + response.bodyAsString());
    }
    if (response.statusCode() != status || body == null || !code.equals(body.getValue("error"))
        || !(body.getValue("message") instanceof String message) || message.isEmpty()) {
      throw new AssertionError("expected " + status + " " + code + ", got " + response.statusCode() + " " + body);
    }
    String type = response.getHeader("content-type");
    if (type == null || !type.startsWith("application/json")) {
      throw new AssertionError("an error answer is JSON, not " + type);
    }
    return body;
  }

  // --- delivery ---------------------------------------------------------------------------------

  /** An envelope as it came: {@code seq} 0 for an online envelope, which is not acknowledged. */
  record Delivered(long seq, Envelope envelope) {
    boolean online() {
      return seq == 0;
    }
  }

  /**
   * An open delivery connection that records every frame the relay sends, in order. Envelopes and
   * events are read separately (reading one never drops the other); each frame is read once.
   */
  final class Delivery implements AutoCloseable {
    final WebSocket socket;
    private final List<Object[]> frames = new ArrayList<>();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();
    /** The relay's close reason, once it closed the connection. */
    volatile String closeReason;

    Delivery(WebSocket socket) {
      this.socket = socket;
      socket.binaryMessageHandler(buffer -> {
        Object frame;
        try {
          org.quintet.protocol.Delivery.EnvelopeFrame parsed =
              org.quintet.protocol.Delivery.EnvelopeFrame.parse(buffer.getBytes());
          frame = new Delivered(parsed.seq(), Envelope.parse(parsed.envelope()));
        } catch (RuntimeException | ProtocolException e) {
          frame = new AssertionError("the relay sent a malformed envelope frame", e);
        }
        record(frame);
      });
      socket.textMessageHandler(text -> record(new JsonObject(text)));
      socket.closeHandler(v -> {
        closeReason = socket.closeReason();
        closed.complete(socket.closeStatusCode());
        synchronized (frames) {
          frames.notifyAll();
        }
      });
    }

    private void record(Object frame) {
      synchronized (frames) {
        frames.add(new Object[] {frame, false});
        frames.notifyAll();
      }
    }

    /** The first frame not read yet that {@code wanted} accepts, waiting for it until the deadline. */
    private Optional<Object> take(Predicate<Object> wanted, long timeoutMillis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      synchronized (frames) {
        while (true) {
          for (Object[] frame : frames) {
            if (!(Boolean) frame[1] && wanted.test(frame[0])) {
              frame[1] = true;
              if (frame[0] instanceof AssertionError error) {
                throw error;
              }
              return Optional.of(frame[0]);
            }
          }
          long left = deadline - System.currentTimeMillis();
          if (left <= 0 || closed.isDone()) {
            return Optional.empty();
          }
          frames.wait(left);
        }
      }
    }

    /** The next envelope; empty when none comes in time. */
    Optional<Delivered> nextEnvelope(long timeoutMillis) throws InterruptedException {
      return take(frame -> frame instanceof Delivered || frame instanceof AssertionError, timeoutMillis)
          .map(Delivered.class::cast);
    }

    Delivered envelope() throws InterruptedException {
      return nextEnvelope(TIMEOUT_MILLIS).orElseThrow(() -> new AssertionError("no envelope came"));
    }

    /** The next text event of this type; empty when none comes in time. */
    Optional<JsonObject> nextEvent(String type, long timeoutMillis) throws InterruptedException {
      return take(frame -> frame instanceof JsonObject event && type.equals(event.getString("type")), timeoutMillis)
          .map(JsonObject.class::cast);
    }

    JsonObject event(String type) throws InterruptedException {
      return nextEvent(type, TIMEOUT_MILLIS).orElseThrow(() -> new AssertionError("no " + type + " event came"));
    }

    void ack(long seq) {
      socket.writeTextMessage(new JsonObject().put("type", "ack").put("seq", seq).encode());
    }

    /**
     * Proves that nothing else was on its way to this device: a sentinel {@code sender} sends now
     * is the next envelope (and is acknowledged), where a pause of a guessed length would prove
     * nothing on a slow machine.
     */
    void expectSentinelNext(TestDevice sender, String why) throws Exception {
      expect(sender.send("sentinel", TestDevice.this), 200);
      Delivered next = envelope();
      assertEquals("sentinel", decrypt(next.envelope()), why);
      ack(next.seq());
    }

    /** Takes {@code count} envelopes, acknowledging each. */
    List<Delivered> receive(int count) throws InterruptedException {
      List<Delivered> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Delivered delivered = envelope();
        ack(delivered.seq());
        out.add(delivered);
      }
      return out;
    }

    /**
     * Acknowledges every envelope as it comes, up to the next {@code queue-empty} event: on a fresh
     * connection, the whole queue as it was.
     */
    List<Delivered> receiveUntilQueueEmpty(long timeoutMillis) throws InterruptedException {
      List<Delivered> out = new ArrayList<>();
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (true) {
        Optional<Object> frame = take(f -> f instanceof Delivered || f instanceof AssertionError
            || f instanceof JsonObject event && "queue-empty".equals(event.getString("type")),
            deadline - System.currentTimeMillis());
        if (frame.isEmpty()) {
          throw new AssertionError("no queue-empty event after " + out.size() + " envelopes");
        }
        if (frame.get() instanceof Delivered delivered) {
          ack(delivered.seq());
          out.add(delivered);
        } else {
          return out;
        }
      }
    }

    List<Delivered> drain(long quietMillis) throws InterruptedException {
      List<Delivered> out = new ArrayList<>();
      Optional<Delivered> next;
      while ((next = nextEnvelope(quietMillis)).isPresent()) {
        out.add(next.get());
      }
      return out;
    }

    /** The close code the relay closed this connection with; empty when it stays open. */
    Optional<Short> awaitClose(long timeoutMillis) throws Exception {
      try {
        return Optional.ofNullable(closed.get(timeoutMillis, TimeUnit.MILLISECONDS));
      } catch (java.util.concurrent.TimeoutException e) {
        return Optional.empty();
      }
    }

    short closeCode() throws Exception {
      return awaitClose(TIMEOUT_MILLIS).orElseThrow(() -> new AssertionError("the connection stayed open"));
    }

    boolean isClosed() {
      return closed.isDone();
    }

    @Override
    public void close() {
      if (!closed.isDone()) {
        try {
          socket.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          // closed by the relay meanwhile
        }
      }
    }
  }

  Delivery connect() throws Exception {
    return connectWith(token);
  }

  Delivery connectWith(String anyToken) throws Exception {
    WebSocketClient client = TestWebSockets.client(vertx, new WebSocketClientOptions().setLocalAddress(localAddress));
    URI uri = URI.create(url);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost())
        .setPort(uri.getPort()).setURI("/v1/websocket?token=" + anyToken);
    if (forwardedFor != null) {
      options.addHeader("X-Forwarded-For", forwardedFor);
    }
    // The handlers are set before the socket connects: the relay's first frames come at once.
    ClientWebSocket opening = client.webSocket();
    Delivery delivery = new Delivery(opening);
    TestRelay.await(opening.connect(options));
    return delivery;
  }
}
