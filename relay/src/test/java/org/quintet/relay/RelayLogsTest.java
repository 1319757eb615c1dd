package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.CodePairing;
import org.quintet.protocol.Crypto;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.KeySource;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * The relay's log as an operator gets it, from a relay process: JSON lines on request, and no
 * secret in it even with every Quintet logger at TRACE.
 */
class RelayLogsTest {
  private static final String ALICE = "+15550500001";
  private static final String BOB = "+15550500002";
  private static final String CAROL = "+15550500003";
  /** The one line allowed to carry a registration code: the {@code log} sender's, for its operator. */
  private static final String CODE_SENDER_LOGGER = "quintet.verification";

  @TempDir
  Path data;
  Vertx vertx;
  RedisServer redis;
  RelayProcess relay;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
    redis.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Path config() throws Exception {
    return Files.writeString(data.resolve("quintet.json"), "{}");
  }

  @Test
  void withLogFormatJsonEveryLineIsOneJsonObjectWithTimeLevelLoggerMessageAndException() throws Exception {
    relay = RelayProcess.start(data.resolve("node"), config(), redis.url(), List.of(), List.of("--log-format", "json"));
    relay.awaitHealthy(vertx);
    TestDevice alice = new TestDevice(vertx, relay.url(), ALICE).registerAsPrimary(relay::codeFor);
    String code = relay.codeFor(ALICE);
    redis.killProcess();
    expectError(alice.get("/v1/keys/count"), 500, "INTERNAL");
    relay.stop();

    List<JsonObject> lines = new ArrayList<>();
    for (String line : relay.outputLines()) {
      try {
        lines.add(new JsonObject(line));
      } catch (DecodeException e) {
        throw new AssertionError("not one JSON object: " + line + "\nthe whole output:\n" + relay.output());
      }
    }
    for (JsonObject line : lines) {
      assertInstanceOf(Number.class, line.getValue("timestamp"), line.encode());
      assertTrue(List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(line.getString("level")), line.encode());
      assertInstanceOf(String.class, line.getValue("loggerName"), line.encode());
      assertInstanceOf(String.class, line.getValue("formattedMessage"), line.encode());
    }
    assertTrue(lines.stream().anyMatch(line -> CODE_SENDER_LOGGER.equals(line.getString("loggerName"))
        && ("verification code for " + ALICE + ": " + code).equals(line.getString("formattedMessage"))),
        "the log sender's line is a JSON line too");
    JsonObject failure = lines.stream().filter(line -> "ERROR".equals(line.getString("level"))
        && RelayServer.class.getName().equals(line.getString("loggerName"))).findFirst()
        .orElseThrow(() -> new AssertionError("no error line for the request Redis failed:\n" + relay.output()));
    assertEquals("request GET /v1/keys/... failed", failure.getString("formattedMessage"));
    assertInstanceOf(String.class, failure.getJsonObject("throwable").getValue("className"), failure.encode());
    assertTrue(lines.stream().anyMatch(line -> line.getString("formattedMessage").equals("stopped")),
        "the lines of a stopping relay are there too");
  }

  @Test
  void noSecretReachesTheLogEvenAtTrace() throws Exception {
    Path logback = Files.writeString(data.resolve("logback-trace.xml"), """
        <configuration>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.quintet" level="TRACE"/>
          <logger name="quintet" level="TRACE"/>
          <root level="INFO"><appender-ref ref="STDOUT"/></root>
        </configuration>
        """);
    Path dataDir = data.resolve("node");
    relay = RelayProcess.start(dataDir, config(), redis.url(), List.of("-Dlogback.configurationFile=" + logback),
        List.of());
    relay.awaitHealthy(vertx);
    Secrets secrets = new Secrets();

    // Registration and token log-in; a wrong code.
    TestDevice alice = new TestDevice(vertx, relay.url(), ALICE).registerAsPrimary(relay::codeFor);
    secrets.code(ALICE, relay.codeFor(ALICE));
    TestDevice bob = new TestDevice(vertx, relay.url(), BOB).registerAsPrimary(relay::codeFor);
    secrets.code(BOB, relay.codeFor(BOB));
    TestDevice carol = new TestDevice(vertx, relay.url(), CAROL);
    expect(carol.post("/v1/registration/code", new JsonObject().put("number", CAROL), false), 200);
    String carolsCode = relay.codeFor(CAROL);
    secrets.code(CAROL, carolsCode);
    String guess = carolsCode.equals("999999") ? "999998" : "999999";
    secrets.code(CAROL, guess);
    expectError(carol.post("/v1/registration/verify", carol.verifyRequest(guess), false), 403, "WRONG_CODE");

    // Prekeys: a new signed prekey and one-time prekeys.
    JsonObject upload = alice.preKeys(2, 10, 100);
    expect(alice.put("/v1/keys", upload), 200);
    secrets.base64(upload.getString("signedPreKey"));
    upload.getJsonArray("oneTimePreKeys").forEach(key -> secrets.base64((String) key));

    // Linking: a QR provisioning message, then a companion linked by number and code.
    TestDevice companion = alice.newCompanion();
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket socket = provisioningSocket(frames);
    String address = next(frames, "address").getString("address");
    secrets.text(address);
    String sealed = b64(TestDevice.randomBytes(120));
    secrets.base64(sealed);
    expect(alice.put("/v1/provisioning/" + address, new JsonObject().put("message", sealed)), 200);
    next(frames, "provision");
    try (TestDevice.Delivery primaryInbox = alice.connect()) {
      CodePairing.Companion pairing = CodePairing.Companion.start(KeySource.secure(), companion.identity.publicKey());
      secrets.linkCode(pairing.code());
      socket.writeTextMessage(new JsonObject().put("type", "pair").put("number", ALICE)
          .put("hello", b64(pairing.hello())).encode());
      secrets.bytes(pairing.hello());
      String pairingId = next(frames, "pairing").getString("pairingId");
      byte[] hello = TestDevice.unb64(primaryInbox.event("pairing-request").getString("hello"));
      DeviceCert cert = alice.certify(companion, 2);
      CodePairing.Primary answer = CodePairing.Primary.respond(KeySource.secure(), pairing.code(), hello,
          cert.encode());
      secrets.bytes(answer.reply());
      expect(alice.post("/v1/pairing/" + pairingId + "/reply", new JsonObject().put("reply", b64(answer.reply())),
          true), 200);
      byte[] certForCompanion = pairing.openReply(TestDevice.unb64(next(frames, "reply").getString("reply")));
      byte[] confirm = pairing.confirm(companion.identity.publicKey().encode());
      secrets.bytes(confirm);
      socket.writeTextMessage(new JsonObject().put("type", "confirm").put("confirm", b64(confirm)).encode());
      answer.openConfirm(TestDevice.unb64(primaryInbox.event("pairing-confirm").getString("confirm")));
      JsonObject link = companion.linkRequest(DeviceCert.parse(certForCompanion));
      secrets.base64(link.getString("signedPreKey"));
      link.getJsonArray("oneTimePreKeys").forEach(key -> secrets.base64((String) key));
      expect(companion.post("/v1/devices/link", link, false), 200);
      companion.deviceId = 2;
      companion.login();
      companion.pendingCert = DeviceCert.parse(certForCompanion);
      alice.addToList(companion, 2);
    }
    TestRelay.await(socket.close());

    // Renames: a name is the user's own words about their device, refused or not.
    secrets.text("Ayesha's work laptop");
    expect(companion.put("/v1/devices/2/name", new JsonObject().put("name", "Ayesha's work laptop")), 200);
    secrets.text("diary of a secret name");
    expectError(companion.put("/v1/devices/2/name", new JsonObject().put("name", "diary of a secret name ".repeat(3))),
        400, "INVALID_REQUEST");
    expectError(companion.put("/v1/devices/1/name", new JsonObject().put("name", "diary of a secret name")), 403,
        "NOT_ALLOWED");

    // Sends, deliveries and acknowledgements, the receipts among them.
    JsonObject send = alice.sendRequest(TestDevice.messageId(), "the plaintext of a secret message", List.of(bob,
        companion));
    secrets.text("the plaintext of a secret message");
    for (Object group : send.getJsonArray("recipients")) {
      for (Object message : ((JsonObject) group).getJsonArray("messages")) {
        secrets.base64(((JsonObject) message).getString("content"));
      }
    }
    expect(alice.post("/v1/messages", send, true), 200);
    try (TestDevice.Delivery bobInbox = bob.connect(); TestDevice.Delivery companionInbox = companion.connect();
        TestDevice.Delivery aliceInbox = alice.connect()) {
      assertEquals("the plaintext of a secret message", bob.decrypt(bobInbox.receive(1).get(0).envelope()));
      assertEquals("the plaintext of a secret message",
          companion.decrypt(companionInbox.receive(1).get(0).envelope()));
      expect(bob.send("a secret reply", alice, companion), 200);
      secrets.text("a secret reply");
      // Bob's receipt (the companion, of alice's own account, sends none) and bob's reply.
      assertEquals(2, aliceInbox.receive(2).size());
      companionInbox.receive(1);
    }

    // Refused requests: a bad token on a request and on a socket, a malformed send, an envelope that is not a
    // session message.
    String forged = alice.token.substring(0, alice.token.length() - 4) + "AAAA";
    secrets.text(forged);
    expectError(alice.raw(HttpMethod.POST, "/v1/messages", "Bearer " + forged, "application/json",
        Buffer.buffer(send.encode())), 401, "UNAUTHORIZED");
    assertEquals(401, connectStatus(bob, forged));
    expectError(alice.raw(HttpMethod.POST, "/v1/messages", "Bearer " + alice.token, "application/json",
        Buffer.buffer("{\"messageId\": \"" + sealed + "\"")), 400, "INVALID_REQUEST");
    JsonObject garbage = alice.sendRequest(TestDevice.messageId(), "x", List.of(bob));
    String notASessionMessage = b64(TestDevice.randomBytes(90));
    secrets.base64(notASessionMessage);
    garbage.getJsonArray("recipients").getJsonObject(0).getJsonArray("messages").getJsonObject(0)
        .put("content", notASessionMessage);
    expectError(alice.post("/v1/messages", garbage, true), 400, "INVALID_REQUEST");

    // Requests the relay fails on, which it logs: its Redis is gone.
    redis.killProcess();
    expectError(alice.put("/v1/provisioning/" + address, new JsonObject().put("message", sealed)), 500, "INTERNAL");
    expectError(alice.get("/v1/keys/" + bob.path() + "/1"), 500, "INTERNAL");
    relay.stop();

    // Every credential and key of the devices, and the relay's own key.
    for (TestDevice device : List.of(alice, bob, carol, companion)) {
      secrets.bytes(device.identity.publicKey().encode());
      if (device.token != null) {
        secrets.token(device.token);
      }
    }
    byte[] relayKey = Files.readAllBytes(dataDir.resolve("relay.key"));
    secrets.bytes(relayKey);
    secrets.bytes(Crypto.hmac(relayKey, Bytes.ascii("tokens")));

    List<String> found = secrets.foundIn(relay.outputLines());
    assertTrue(found.isEmpty(), "secrets in the relay's log:\n" + String.join("\n", found));
    assertTrue(relay.output().contains("request PUT /v1/provisioning/... failed"),
        "the failures were logged (their paths cut):\n" + relay.output());
  }

  /** What must never be in the log, each with the forms a log line could show it in. */
  private static final class Secrets {
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();
    /** Codes, by number: allowed only on the code sender's own line for that number and code. */
    private final Map<String, List<String>> codes = new LinkedHashMap<>();

    void text(String secret) {
      patterns.put(secret, Pattern.compile(Pattern.quote(secret)));
    }

    /** Binary data, as base64 (standard and URL-safe, with or without padding) and as hex. */
    void bytes(byte[] secret) {
      text(Base64.getEncoder().encodeToString(secret));
      text(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
      text(HexFormat.of().formatHex(secret));
      // A prefix of the encoding catches a value that a line cut short.
      text(Base64.getEncoder().encodeToString(secret).substring(0, Math.min(24, (secret.length * 4 / 3))));
    }

    void base64(String secret) {
      bytes(Base64.getDecoder().decode(secret));
    }

    /** A token, and its signature alone (the part that makes it a credential). */
    void token(String token) {
      text(token);
      text(token.substring(token.lastIndexOf('.') + 1));
    }

    void linkCode(String code) {
      text(code);
      text(code.replace("-", ""));
    }

    /** Six digits that are not part of a longer run of digits (a port, a temporary directory's name). */
    void code(String number, String code) {
      codes.computeIfAbsent(number, n -> new ArrayList<>()).add(code);
      patterns.put("code " + code, Pattern.compile("(?<!\\d)" + code + "(?!\\d)"));
    }

    List<String> foundIn(List<String> lines) {
      List<String> found = new ArrayList<>();
      for (String line : lines) {
        if (isCodeSendersLine(line)) {
          continue;
        }
        patterns.forEach((secret, pattern) -> {
          if (pattern.matcher(line).find()) {
            found.add(secret + "  in  " + line);
          }
        });
      }
      return found;
    }

    private boolean isCodeSendersLine(String line) {
      return codes.entrySet().stream().anyMatch(entry -> entry.getValue().stream().anyMatch(code ->
          line.contains(" " + CODE_SENDER_LOGGER + " - ") && line.endsWith(" - verification code for "
              + entry.getKey() + ": " + code)));
    }
  }

  // --- helpers --------------------------------------------------------------------------------------

  private WebSocket provisioningSocket(BlockingQueue<JsonObject> frames) throws Exception {
    return TestWebSockets.provisioning(vertx, relay.url(), frames);
  }

  private static JsonObject next(BlockingQueue<JsonObject> frames, String type) throws InterruptedException {
    JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
    if (frame == null || !type.equals(frame.getString("type"))) {
      throw new AssertionError("expected a " + type + " frame, got " + frame);
    }
    return frame;
  }

  /** The status a delivery WebSocket upgrade with {@code token} is refused with. */
  private static int connectStatus(TestDevice device, String token) throws Exception {
    try {
      device.connectWith(token).close();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof io.vertx.core.http.UpgradeRejectedException rejected) {
        return rejected.getStatus();
      }
      throw e;
    }
  }
}
