package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestDevice.randomBytes;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Limits;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.auth.Tokens;

/**
 * Every endpoint with bad input: each answer is a JSON error with the documented status and code,
 * never echoes key material, codes or plaintext, and changes nothing the relay keeps.
 */
class BadInputTest {
  private static final String ALICE = "+15550400001";
  private static final String BOB = "+15550400002";
  /** Has a pending registration code, so a bad verify request could spend one of its attempts. */
  private static final String CAROL = "+15550400003";
  /** Has no account. */
  private static final String DAVE = "+15550400004";
  private static final int MAX_BODY = 1024 * 1024;
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  @TempDir
  Path data;
  TestRelay relay;
  TestDevice alice;
  TestDevice alice2;
  TestDevice bob;
  TestDevice carol;
  String carolCode;
  /** A third device of alice's, removed: its token names a device that is gone. */
  String removedToken;

  @BeforeEach
  void start() throws Exception {
    relay = TestRelay.start(data, new JsonObject().put("limits", new JsonObject().put("maxBodyBytes", MAX_BODY)));
    alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    alice2 = alice.linkCompanion(2);
    TestDevice alice3 = alice.linkUnlisted(3);
    expect(alice3.delete("/v1/devices/3"), 200);
    removedToken = alice3.token;
    bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    expect(alice.send("queued for bob", bob, alice2), 200);
    carol = new TestDevice(relay, CAROL);
    expect(carol.post("/v1/registration/code", new JsonObject().put("number", CAROL), false), 200);
    carolCode = relay.codes.codeFor(CAROL);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  // --- the machinery: a request, its expected refusal, and the state before and after ----------

  /** One bad request: its method, path, Authorization header (null: none), body (null: none). */
  private record Case(String name, HttpMethod method, String path, String authorization, String contentType,
      Buffer body, int status, String code) {}

  private final List<Case> cases = new ArrayList<>();

  private String bearer(TestDevice device) {
    return "Bearer " + device.token;
  }

  private void json(String name, HttpMethod method, String path, TestDevice as, Object body, int status,
      String code) {
    Buffer bytes = body == null ? null : Buffer.buffer(body instanceof JsonObject o ? o.encode()
        : body instanceof JsonArray a ? a.encode() : body.toString());
    cases.add(new Case(name, method, path, as == null ? null : bearer(as), "application/json", bytes, status, code));
  }

  /** {@code base} with one change, for each change: every one must be refused with this status and code. */
  private void mutations(String name, HttpMethod method, String path, TestDevice as, JsonObject base, int status,
      String code, List<Consumer<JsonObject>> changes) {
    for (int i = 0; i < changes.size(); i++) {
      JsonObject changed = base.copy();
      changes.get(i).accept(changed);
      json(name + " #" + i + " " + changed.encode().substring(0, Math.min(120, changed.encode().length())),
          method, path, as, changed, status, code);
    }
  }

  private static Consumer<JsonObject> without(String field) {
    return body -> body.remove(field);
  }

  private static Consumer<JsonObject> with(String field, Object value) {
    return body -> body.put(field, value);
  }

  /** Runs every case: the refusal, no secret in it, and no change to anything kept. */
  private void runCases() throws Exception {
    assertFalse(cases.isEmpty());
    JsonObject before = state();
    List<String> secrets = secrets();
    for (Case c : cases) {
      HttpResponse<Buffer> response = alice.raw(c.method(), c.path(), c.authorization(), c.contentType(), c.body());
      JsonObject error;
      try {
        error = expectError(response, c.status(), c.code());
      } catch (AssertionError e) {
        throw new AssertionError(c.name() + ": " + e.getMessage(), e);
      }
      assertEquals(Set.of(), unexpectedFields(error), c.name() + ": " + error);
      String text = response.bodyAsString();
      for (String secret : secrets) {
        assertFalse(text.contains(secret), c.name() + " echoes a secret: " + text);
      }
      if (c.body() != null && c.body().length() < 100_000) {
        for (String value : base64Values(c.body())) {
          assertFalse(text.contains(value), c.name() + " echoes request bytes: " + text);
        }
      }
      assertEquals(before, state(), c.name() + " changed the relay's state");
    }
    cases.clear();
  }

  private static Set<String> unexpectedFields(JsonObject error) {
    Set<String> fields = new java.util.HashSet<>(error.fieldNames());
    fields.removeAll(Set.of("error", "message", "attemptsLeft", "retryAfterSeconds", "reason", "mismatches"));
    return fields;
  }

  /** Base64 strings of 16 bytes or more anywhere in a JSON body: keys, signatures, ciphertexts. */
  private static List<String> base64Values(Buffer body) {
    List<String> out = new ArrayList<>();
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (RuntimeException e) {
      return out;
    }
    collect(parsed, out);
    return out;
  }

  private static void collect(Object value, List<String> out) {
    if (value instanceof JsonObject object) {
      object.forEach(entry -> collect(entry.getValue(), out));
    } else if (value instanceof JsonArray array) {
      array.forEach(item -> collect(item, out));
    } else if (value instanceof String text && text.length() >= 24 && text.matches("[A-Za-z0-9+/]+=*")) {
      out.add(text);
    }
  }

  private List<String> secrets() {
    List<String> out = new ArrayList<>(List.of(carolCode, alice.token, alice2.token, bob.token, removedToken));
    for (TestDevice device : List.of(alice, alice2, bob, carol)) {
      out.add(b64(device.identity.signing().seed()));
      out.add(b64(device.identity.agreement().privateKey()));
      out.add(b64(device.identity.publicKey().encode()));
    }
    return out;
  }

  private JsonObject state() throws Exception {
    return RelayState.of(relay, ALICE, BOB, CAROL, DAVE);
  }

  private String relayToken(AuthenticatedDevice device, Clock clock) throws Exception {
    byte[] key = Files.readAllBytes(relay.dataDir.resolve("relay.key"));
    return new Tokens(key, clock, Duration.ofMinutes(15)).issue(device);
  }

  private static String jwt(String header, String payload, String signature) {
    java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
    return url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + signature;
  }

  // --- tokens -----------------------------------------------------------------------------------

  /** Every bad token on every route that needs one: 401 with the right code. */
  @Test
  void everyAuthenticatedRouteRefusesABadToken() throws Exception {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    String expired = relayToken(new AuthenticatedDevice(ALICE, 1, alice.registrationId), past);
    String replaced = relayToken(new AuthenticatedDevice(ALICE, 1, alice.registrationId ^ 1), relay.clock);
    String nobody = relayToken(new AuthenticatedDevice(DAVE, 1, 42), relay.clock);
    String otherRelay = new Tokens(randomBytes(32), relay.clock, Duration.ofMinutes(15))
        .issue(new AuthenticatedDevice(ALICE, 1, alice.registrationId));
    String[] parts = alice.token.split("\\.");
    String tamperedPayload = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace(ALICE, BOB).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    String unsigned = jwt("{\"alg\":\"none\"}", "{\"sub\":\"" + ALICE + "\",\"dev\":1,\"reg\":"
        + alice.registrationId + ",\"exp\":9999999999}", "");
    String wrongAlgorithm = jwt("{\"alg\":\"HS512\"}", "{\"sub\":\"" + ALICE + "\"}", parts[2]);

    List<String[]> tokens = List.of(
        new String[] {null, "UNAUTHORIZED"},
        new String[] {"Bearer", "UNAUTHORIZED"},
        new String[] {"Bearer ", "UNAUTHORIZED"},
        new String[] {"Basic " + alice.token, "UNAUTHORIZED"},
        new String[] {"bearer " + alice.token, "UNAUTHORIZED"},
        new String[] {"Bearer garbage", "UNAUTHORIZED"},
        new String[] {"Bearer " + alice.token.substring(0, alice.token.length() - 2), "UNAUTHORIZED"},
        new String[] {"Bearer " + tamperedPayload, "UNAUTHORIZED"},
        new String[] {"Bearer " + unsigned, "UNAUTHORIZED"},
        new String[] {"Bearer " + wrongAlgorithm, "UNAUTHORIZED"},
        new String[] {"Bearer " + otherRelay, "UNAUTHORIZED"},
        new String[] {"Bearer " + expired, "TOKEN_EXPIRED"},
        new String[] {"Bearer " + replaced, "DEVICE_GONE"},
        new String[] {"Bearer " + nobody, "DEVICE_GONE"},
        new String[] {"Bearer " + removedToken, "DEVICE_GONE"});
    JsonObject upload = alice.preKeys(9, 5, 901);
    JsonObject send = alice.sendRequest(TestDevice.messageId(), "hello", List.of(bob, alice2));
    JsonObject list = new JsonObject().put("deviceList", b64(alice.signList(3, alice.listCerts)))
        .put("expectedVersion", 2);
    List<Object[]> routes = List.of(
        new Object[] {HttpMethod.GET, "/v1/accounts/" + bob.path(), null},
        new Object[] {HttpMethod.PUT, "/v1/devices/list", list},
        new Object[] {HttpMethod.DELETE, "/v1/devices/2", null},
        new Object[] {HttpMethod.PUT, "/v1/devices/2/name", new JsonObject().put("name", "renamed")},
        new Object[] {HttpMethod.PUT, "/v1/keys", upload},
        new Object[] {HttpMethod.GET, "/v1/keys/count", null},
        new Object[] {HttpMethod.GET, "/v1/keys/" + bob.path(), null},
        new Object[] {HttpMethod.GET, "/v1/keys/" + bob.path() + "/1", null},
        new Object[] {HttpMethod.POST, "/v1/messages", send},
        new Object[] {HttpMethod.GET, "/v1/no-such-route", null});
    for (Object[] route : routes) {
      for (String[] token : tokens) {
        Buffer body = route[2] == null ? null : Buffer.buffer(((JsonObject) route[2]).encode());
        cases.add(new Case(route[0] + " " + route[1] + " with " + token[0], (HttpMethod) route[0], (String) route[1],
            token[0], "application/json", body, 401, token[1]));
      }
    }
    runCases();

    // The same requests with the real token are fine (they would have changed something).
    expect(alice.put("/v1/keys", upload), 200);
    expect(alice.post("/v1/messages", send, true), 200);
  }

  @Test
  void anExpiredTokenIsRefusedButAnOpenConnectionStaysOpen() throws Exception {
    try (TestRelay shortLived = TestRelay.start(data.resolve("short"), new JsonObject().put("limits",
        new JsonObject().put("tokenTtlSeconds", 2)))) {
      TestDevice dave = new TestDevice(shortLived, DAVE).registerAsPrimary(shortLived);
      TestDevice.Delivery inbox = dave.connect();
      inbox.event("queue-empty");
      TestDevice erin = new TestDevice(shortLived, "+15550400005").registerAsPrimary(shortLived);

      long deadline = System.currentTimeMillis() + 10_000;
      HttpResponse<Buffer> refused = dave.get("/v1/keys/count");
      while (refused.statusCode() == 200 && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        refused = dave.get("/v1/keys/count");
      }
      expectError(refused, 401, "TOKEN_EXPIRED");
      ExecutionException rejected = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          dave::connect);
      assertEquals(401, assertInstanceOf(UpgradeRejectedException.class, rejected.getCause()).getStatus());

      // The token is checked when a connection opens; the open one keeps delivering.
      erin.login();
      expect(erin.send("after the token's end", dave), 200);
      assertEquals("after the token's end", dave.decrypt(inbox.envelope().envelope()));
      assertFalse(inbox.isClosed());
      dave.login();
      expect(dave.get("/v1/keys/count"), 200);
      inbox.close();
    }
    // The relay's clock moving past a token's end has the same effect.
    relay.clock.advance(Duration.ofSeconds(901));
    expectError(alice.get("/v1/keys/count"), 401, "TOKEN_EXPIRED");
    alice.login();
    expect(alice.get("/v1/keys/count"), 200);
  }

  // --- bodies -----------------------------------------------------------------------------------

  @Test
  void everyBodyMustBeAJsonObjectOfAtMostTheLimit() throws Exception {
    List<Object[]> routes = List.of(
        new Object[] {HttpMethod.POST, "/v1/registration/code", null},
        new Object[] {HttpMethod.POST, "/v1/registration/verify", null},
        new Object[] {HttpMethod.POST, "/v1/auth/token", null},
        new Object[] {HttpMethod.POST, "/v1/devices/link", null},
        new Object[] {HttpMethod.PUT, "/v1/devices/list", alice},
        new Object[] {HttpMethod.PUT, "/v1/devices/2/name", alice},
        new Object[] {HttpMethod.PUT, "/v1/keys", alice},
        new Object[] {HttpMethod.POST, "/v1/messages", alice});
    byte[] huge = new byte[MAX_BODY + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    huge[0] = '{';
    huge[huge.length - 1] = '}';
    for (Object[] route : routes) {
      HttpMethod method = (HttpMethod) route[0];
      String path = (String) route[1];
      String auth = route[2] == null ? null : bearer((TestDevice) route[2]);
      for (String body : new String[] {null, "", "hello", "[]", "[{\"number\":\"" + ALICE + "\"}]", "\"text\"", "42",
          "null", "true", "{\"number\": ", "{\"number\":\"" + ALICE + "\",}", "{'number':'" + ALICE + "'}"}) {
        cases.add(new Case(method + " " + path + " body " + body, method, path, auth, "application/json",
            body == null ? null : Buffer.buffer(body), 400, "INVALID_REQUEST"));
      }
      cases.add(new Case(method + " " + path + " form", method, path, auth, "application/x-www-form-urlencoded",
          Buffer.buffer("number=" + ALICE.replace("+", "%2B")), 415, "UNSUPPORTED_MEDIA_TYPE"));
      cases.add(new Case(method + " " + path + " huge", method, path, auth, "application/json", Buffer.buffer(huge),
          413, "TOO_LARGE"));
    }
    runCases();
  }

  /**
   * Only a body declared as JSON is read as JSON. A page of any origin can make a browser POST
   * text/plain without asking first; such a request, however good its body, is a 415 and changes
   * nothing: above all, it sends no registration code.
   */
  @Test
  void onlyABodyDeclaredAsJsonIsRead() throws Exception {
    JsonObject daveCode = new JsonObject().put("number", DAVE);
    JsonObject upload = alice.preKeys(9, 5, 901);
    JsonObject send = alice.sendRequest(TestDevice.messageId(), "hello", List.of(bob, alice2));
    List<Object[]> routes = List.of(
        new Object[] {HttpMethod.POST, "/v1/registration/code", null, daveCode},
        new Object[] {HttpMethod.POST, "/v1/registration/verify", null, carol.verifyRequest(carolCode)},
        new Object[] {HttpMethod.POST, "/v1/auth/token", null, alice2.loginRequest()},
        new Object[] {HttpMethod.PUT, "/v1/devices/2/name", alice, new JsonObject().put("name", "renamed")},
        new Object[] {HttpMethod.PUT, "/v1/keys", alice, upload},
        new Object[] {HttpMethod.POST, "/v1/messages", alice, send});
    for (Object[] route : routes) {
      HttpMethod method = (HttpMethod) route[0];
      String path = (String) route[1];
      String auth = route[2] == null ? null : bearer((TestDevice) route[2]);
      Buffer body = Buffer.buffer(((JsonObject) route[3]).encode());
      for (String type : new String[] {null, "", "text/plain", "text/plain;charset=UTF-8", "text/json",
          "application/jsonp", "application/json-patch+json", "multipart/form-data; boundary=x",
          "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/json; q=1",
          "application/json, text/plain", "application/json; charset"}) {
        cases.add(new Case(method + " " + path + " as " + type, method, path, auth, type, body, 415,
            "UNSUPPORTED_MEDIA_TYPE"));
      }
    }
    runCases();
    assertFalse(relay.codes.sentTo(DAVE), "a text/plain request sent no code");

    // JSON in its accepted spellings is read.
    expect(alice.raw(HttpMethod.POST, "/v1/registration/code", null, "Application/JSON; Charset=\"UTF-8\"",
        Buffer.buffer(daveCode.encode())), 200);
    assertTrue(relay.codes.sentTo(DAVE));
    expect(alice.raw(HttpMethod.PUT, "/v1/keys", bearer(alice), "application/json;charset=utf-8",
        Buffer.buffer(upload.encode())), 200);
  }

  // --- fields, endpoint by endpoint ---------------------------------------------------------------

  @Test
  void registrationFields() throws Exception {
    List<Consumer<JsonObject>> invalidNumbers = new ArrayList<>();
    for (String number : new String[] {"15550400009", "+12345", "+1234567890123456", "+1555 0400009",
        "+1555-040-0009", "", "+", "+\u0661\u0662\u0663\u0664\u0665\u0666\u0667", "+15550400009\n", " +15550400009",
        "++15550400009", "+1555040000a"}) {
      invalidNumbers.add(with("number", number));
    }
    JsonObject code = new JsonObject().put("number", DAVE);
    mutations("code", HttpMethod.POST, "/v1/registration/code", null, code, 400, "INVALID_REQUEST",
        List.of(without("number"), with("number", 15550400004L), with("number", new JsonArray().add(DAVE)),
            with("number", null)));
    mutations("code", HttpMethod.POST, "/v1/registration/code", null, code, 400, "INVALID_NUMBER", invalidNumbers);

    JsonObject verify = carol.verifyRequest(carolCode);
    TestDevice other = new TestDevice(relay, CAROL);
    JsonObject otherKeys = other.preKeys(1, 1, 1);
    JsonArray tooManyPreKeys = carol.oneTimePreKeys(101, 1000);
    mutations("verify", HttpMethod.POST, "/v1/registration/verify", null, verify, 400, "INVALID_REQUEST", List.of(
        without("number"), with("number", 15550400003L),
        without("code"), with("code", Integer.parseInt(carolCode)), with("code", null),
        without("registrationId"), with("registrationId", 0), with("registrationId", -1),
        with("registrationId", 2147483648L), with("registrationId", "12"), with("registrationId", 1.5),
        with("registrationId", TWO_TO_64.add(BigInteger.valueOf(5))), with("registrationId", 1e300),
        without("identityKey"), with("identityKey", "!!!!"), with("identityKey", b64(randomBytes(63))),
        with("identityKey", b64(randomBytes(65))), with("identityKey", b64(other.identity.publicKey().encode())),
        with("identityKey", 5),
        without("signedPreKey"), with("signedPreKey", b64(randomBytes(99))),
        with("signedPreKey", otherKeys.getString("signedPreKey")), with("signedPreKey", "not base64!"),
        with("oneTimePreKeys", "x"), with("oneTimePreKeys", new JsonArray().add(5)),
        with("oneTimePreKeys", new JsonArray().add("!!")), with("oneTimePreKeys", new JsonArray().add(b64(randomBytes(35)))),
        with("oneTimePreKeys", new JsonObject()), with("oneTimePreKeys", tooManyPreKeys),
        without("deviceList"), with("deviceList", b64(randomBytes(351))), with("deviceList", ""),
        with("deviceList", b64(other.primaryList(1))),
        with("deviceList", b64(carol.signList(1, List.of(carol.ownPrimaryCert(), carol.certify(other, 2))))),
        with("deviceList", b64(carol.signList(1, List.of(carol.certify(other, 1))))),
        with("name", "n".repeat(65)), with("name", 5), with("platform", "p".repeat(33)),
        with("platform", new JsonObject())));
    mutations("verify", HttpMethod.POST, "/v1/registration/verify", null, verify, 400, "INVALID_NUMBER",
        invalidNumbers);
    runCases();

    // None of these spent an attempt: the code still works.
    expect(carol.post("/v1/registration/verify", verify, false), 200);
  }

  @Test
  void loginFields() throws Exception {
    JsonObject login = alice2.loginRequest();
    mutations("token", HttpMethod.POST, "/v1/auth/token", null, login, 400, "INVALID_REQUEST", List.of(
        without("number"), with("number", 1),
        without("deviceId"), with("deviceId", 0), with("deviceId", -2), with("deviceId", "2"), with("deviceId", 2.5),
        with("deviceId", 4294967296L), with("deviceId", TWO_TO_64.add(BigInteger.TWO)),
        without("challenge"), with("challenge", "%%%"), with("challenge", b64(randomBytes(39))),
        with("challenge", b64(randomBytes(41))),
        without("signature"), with("signature", b64(randomBytes(63))), with("signature", 7)));
    mutations("token", HttpMethod.POST, "/v1/auth/token", null, login, 400, "INVALID_NUMBER",
        List.of(with("number", "5550400001")));
    mutations("token", HttpMethod.POST, "/v1/auth/token", null, login, 401, "BAD_CHALLENGE",
        List.of(with("challenge", b64(randomBytes(40)))));
    // A bad signature of a registered device and any signature for a number without an account
    // get the same answer, word for word: log-in tells nobody which numbers are registered.
    mutations("token", HttpMethod.POST, "/v1/auth/token", null, login, 401, "UNKNOWN_DEVICE",
        List.of(with("signature", b64(randomBytes(64))), with("deviceId", 1), with("deviceId", 7),
            with("deviceId", 3), with("number", DAVE)));
    runCases();
    JsonObject badSignature = expectError(alice2.post("/v1/auth/token",
        login.copy().put("signature", b64(randomBytes(64))), false), 401, "UNKNOWN_DEVICE");
    JsonObject noAccount = expectError(alice2.post("/v1/auth/token", login.copy().put("number", DAVE), false), 401,
        "UNKNOWN_DEVICE");
    assertEquals(badSignature, noAccount);

    // The same request is good, once: its challenge is then used up. A minute later, an unused one has expired.
    expect(alice2.post("/v1/auth/token", login, false), 200);
    expectError(alice2.post("/v1/auth/token", login, false), 401, "BAD_CHALLENGE");
    JsonObject unused = alice2.loginRequest();
    relay.clock.advance(Duration.ofSeconds(61));
    expectError(alice2.post("/v1/auth/token", unused, false), 401, "BAD_CHALLENGE");
  }

  @Test
  void accountAndKeyRoutes() throws Exception {
    for (String bad : new String[] {"5550400002", "%2B123", "abc", "%2B1555040000x", "%20%2B15550400002"}) {
      json("account " + bad, HttpMethod.GET, "/v1/accounts/" + bad, alice, null, 400, "INVALID_NUMBER");
      json("keys " + bad, HttpMethod.GET, "/v1/keys/" + bad, alice, null, 400, "INVALID_NUMBER");
      json("keys " + bad + "/1", HttpMethod.GET, "/v1/keys/" + bad + "/1", alice, null, 400, "INVALID_NUMBER");
    }
    json("account unknown", HttpMethod.GET, "/v1/accounts/%2B15550400004", alice, null, 404, "UNKNOWN_ACCOUNT");
    json("keys unknown", HttpMethod.GET, "/v1/keys/%2B15550400004", alice, null, 404, "UNKNOWN_ACCOUNT");
    json("keys unknown/1", HttpMethod.GET, "/v1/keys/%2B15550400004/1", alice, null, 404, "UNKNOWN_ACCOUNT");
    // Full-width, Arabic-Indic and superscript digits, signs, leading zeros, spaces, exponents:
    // none is device 2, though Long.parseLong reads the first two as 2.
    for (String bad : new String[] {"0", "-1", "abc", "1.5", "4294967296", "99999999999999999999", "%201",
        "%EF%BC%92", "%D9%A2", "%C2%B2", "+2", "%2B2", "02", "00", "2%20", "2e0", "0x2", "18446744073709551618",
        "9223372036854775808", "%E0%A7%A8"}) {
      json("keys device " + bad, HttpMethod.GET, "/v1/keys/" + bob.path() + "/" + bad, alice, null, 400,
          "INVALID_REQUEST");
      json("delete " + bad, HttpMethod.DELETE, "/v1/devices/" + bad, alice, null, 400, "INVALID_REQUEST");
      json("rename " + bad, HttpMethod.PUT, "/v1/devices/" + bad + "/name", alice,
          new JsonObject().put("name", "renamed"), 400, "INVALID_REQUEST");
    }
    json("keys device 9", HttpMethod.GET, "/v1/keys/" + bob.path() + "/9", alice, null, 404, "UNKNOWN_DEVICE");
    json("keys removed device", HttpMethod.GET, "/v1/keys/" + alice.path() + "/3", bob, null, 404, "UNKNOWN_DEVICE");
    json("keys own device", HttpMethod.GET, "/v1/keys/" + alice.path() + "/1", alice, null, 404, "UNKNOWN_DEVICE");

    JsonObject upload = alice.preKeys(5, 3, 501);
    TestDevice other = new TestDevice(relay, ALICE);
    mutations("keys", HttpMethod.PUT, "/v1/keys", alice, upload, 400, "INVALID_REQUEST", List.of(
        with("signedPreKey", "!!"), with("signedPreKey", b64(randomBytes(99))), with("signedPreKey", 5),
        with("signedPreKey", b64(randomBytes(100))), with("signedPreKey", other.preKeys(5, 0, 1).getString("signedPreKey")),
        with("oneTimePreKeys", "x"), with("oneTimePreKeys", new JsonArray().add(1)),
        with("oneTimePreKeys", new JsonArray().add("!!")),
        with("oneTimePreKeys", upload.getJsonArray("oneTimePreKeys").copy().add(b64(randomBytes(35)))),
        with("oneTimePreKeys", upload.getJsonArray("oneTimePreKeys").copy().add(b64(randomBytes(37)))),
        with("oneTimePreKeys", alice.oneTimePreKeys(101, 600))));
    runCases();

    // The routes work with good input; the upload above was good but for the changed field.
    expect(alice.put("/v1/keys", upload), 200);
    expect(alice.get("/v1/accounts/+15550400002"), 200);
    expect(alice.get("/v1/keys/+15550400002/1"), 200);
  }

  @Test
  void deviceRoutes() throws Exception {
    JsonObject list = new JsonObject().put("deviceList", b64(alice.signList(3, alice.listCerts)))
        .put("expectedVersion", 2);
    mutations("list", HttpMethod.PUT, "/v1/devices/list", alice, list, 400, "INVALID_REQUEST", List.of(
        without("deviceList"), with("deviceList", "!!"), with("deviceList", ""), with("deviceList", 5),
        with("deviceList", b64(new byte[64 * 1024 + 1])),
        without("expectedVersion"), with("expectedVersion", 0), with("expectedVersion", "2"),
        with("expectedVersion", 1.5), with("expectedVersion", TWO_TO_64.add(BigInteger.TWO))));
    mutations("list", HttpMethod.PUT, "/v1/devices/list", alice, list, 400, "INVALID_DEVICE_LIST", List.of(
        with("deviceList", b64(randomBytes(351))), with("deviceList", b64(new byte[] {1})),
        with("deviceList", b64(Bytes.concat(new byte[] {2}, randomBytes(350))))));
    mutations("list", HttpMethod.PUT, "/v1/devices/list", alice2, list, 403, "NOT_PRIMARY", List.of(b -> { }));

    JsonObject rename = new JsonObject().put("name", "renamed");
    mutations("rename", HttpMethod.PUT, "/v1/devices/2/name", alice, rename, 400, "INVALID_REQUEST", List.of(
        without("name"), with("name", null), with("name", "n".repeat(65)), with("name", 5), with("name", false),
        with("name", new JsonObject()), with("name", new JsonArray().add("renamed"))));
    mutations("rename", HttpMethod.PUT, "/v1/devices/1/name", alice2, rename, 403, "NOT_ALLOWED", List.of(b -> { }));
    mutations("rename", HttpMethod.PUT, "/v1/devices/3/name", alice, rename, 404, "UNKNOWN_DEVICE", List.of(b -> { }));

    TestDevice companion = alice.newCompanion();
    JsonObject link = companion.linkRequest(alice.certify(companion, 4));
    TestDevice other = new TestDevice(relay, ALICE);
    mutations("link", HttpMethod.POST, "/v1/devices/link", null, link, 400, "INVALID_REQUEST", List.of(
        without("number"), with("number", 5),
        without("cert"), with("cert", "!!"), with("cert", b64(randomBytes(236))), with("cert", 5),
        without("registrationId"), with("registrationId", 0), with("registrationId", "7"),
        with("registrationId", TWO_TO_64.add(BigInteger.valueOf(7))),
        without("signedPreKey"), with("signedPreKey", other.preKeys(1, 0, 1).getString("signedPreKey")),
        with("oneTimePreKeys", "x"), with("oneTimePreKeys", new JsonArray().add(b64(randomBytes(35)))),
        with("name", "n".repeat(65)), with("platform", 3)));
    mutations("link", HttpMethod.POST, "/v1/devices/link", null, link, 400, "INVALID_NUMBER",
        List.of(with("number", "123")));
    mutations("link", HttpMethod.POST, "/v1/devices/link", null, link, 400, "INVALID_CERT", List.of(
        with("cert", b64(new byte[237])), with("cert", b64(bob.certify(companion, 4).encode())),
        with("cert", b64(org.quintet.protocol.DeviceCert.issue(alice.identity, 4, companion.identity.publicKey(), 1)
            .encode()))));
    // A number without an account gets the answer of a certificate that does not verify.
    mutations("link", HttpMethod.POST, "/v1/devices/link", null, link, 400, "INVALID_CERT",
        List.of(with("number", DAVE)));
    runCases();
    JsonObject notForThisAccount = expectError(companion.post("/v1/devices/link", link.copy().put("number", BOB),
        false), 400, "INVALID_CERT");
    JsonObject noAccount = expectError(companion.post("/v1/devices/link", link.copy().put("number", DAVE), false),
        400, "INVALID_CERT");
    assertEquals(notForThisAccount, noAccount);

    expect(alice.putList(alice.signList(3, alice.listCerts), 2), 200);
    assertEquals(4, expect(companion.post("/v1/devices/link", link, false), 200).getLong("deviceId"));
  }

  @Test
  void messageFields() throws Exception {
    JsonObject send = alice.sendRequest(TestDevice.messageId(), "hello", List.of(bob, alice2));
    JsonObject bobGroup = send.getJsonArray("recipients").getJsonObject(0);
    JsonObject aliceGroup = send.getJsonArray("recipients").getJsonObject(1);
    JsonObject bobMessage = bobGroup.getJsonArray("messages").getJsonObject(0);
    byte[] tooLong = Bytes.concat(TestDevice.unb64(bobMessage.getString("content")),
        new byte[Limits.MAX_CONTENT]);
    JsonArray seventeen = new JsonArray();
    for (int i = 1; i <= 17; i++) {
      seventeen.add(bobMessage.copy().put("deviceId", i));
    }
    List<Consumer<JsonObject>> bad = new ArrayList<>(List.of(
        without("messageId"), with("messageId", b64(randomBytes(15))), with("messageId", b64(randomBytes(17))),
        with("messageId", "!!"), with("messageId", 5),
        without("timestamp"), with("timestamp", -1), with("timestamp", Limits.MAX_U64 + 1), with("timestamp", "1"),
        with("timestamp", 1.5), with("timestamp", TWO_TO_64.add(BigInteger.TEN)),
        without("recipients"), with("recipients", "x"), with("recipients", new JsonObject()),
        with("recipients", new JsonArray().add(5)),
        with("recipients", new JsonArray().add(bobGroup).add(aliceGroup).add(bobGroup)),
        with("recipients", new JsonArray().add(bobGroup).add(bobGroup)),
        with("recipients", new JsonArray().add(bobGroup.copy().put("number", 5)).add(aliceGroup)),
        with("recipients", new JsonArray().add(bobGroup.copy().put("messages", "x")).add(aliceGroup)),
        with("recipients", new JsonArray().add(bobGroup.copy().put("messages", seventeen)).add(aliceGroup)),
        with("recipients", new JsonArray().add(bobGroup.copy().put("messages", new JsonArray().add(5))).add(aliceGroup)),
        with("recipients", new JsonArray().add(bobGroup.copy().put("messages",
            new JsonArray().add(bobMessage).add(bobMessage))).add(aliceGroup))));
    for (Consumer<JsonObject> change : List.<Consumer<JsonObject>>of(
        without("deviceId"), with("deviceId", 0), with("deviceId", "1"), with("deviceId", 4294967296L),
        without("registrationId"), with("registrationId", 0), with("registrationId", TWO_TO_64.add(BigInteger.ONE)),
        without("kind"), with("kind", 0), with("kind", 3), with("kind", "1"), with("kind", 1.5),
        without("content"), with("content", ""), with("content", "!!"), with("content", 5),
        with("content", b64(new byte[] {1, 9, 9})))) {
      JsonObject message = bobMessage.copy();
      change.accept(message);
      bad.add(with("recipients", new JsonArray().add(bobGroup.copy().put("messages", new JsonArray().add(message)))
          .add(aliceGroup)));
    }
    mutations("send", HttpMethod.POST, "/v1/messages", alice, send, 400, "INVALID_REQUEST", bad);
    mutations("send", HttpMethod.POST, "/v1/messages", alice, send, 400, "INVALID_NUMBER", List.of(
        with("recipients", new JsonArray().add(bobGroup.copy().put("number", "12345678")).add(aliceGroup))));
    mutations("send", HttpMethod.POST, "/v1/messages", alice, send, 413, "TOO_LARGE", List.of(
        with("recipients", new JsonArray().add(bobGroup.copy().put("messages", new JsonArray()
            .add(bobMessage.copy().put("content", b64(tooLong))))).add(aliceGroup))));
    mutations("send", HttpMethod.POST, "/v1/messages", alice, send, 404, "UNKNOWN_ACCOUNT", List.of(
        with("recipients", new JsonArray().add(bobGroup.copy().put("number", DAVE)).add(aliceGroup))));
    mutations("send", HttpMethod.POST, "/v1/messages", alice, send, 409, "DEVICE_MISMATCH", List.of(
        with("recipients", new JsonArray()), with("recipients", new JsonArray().add(bobGroup))));
    runCases();

    expect(alice.post("/v1/messages", send, true), 200);
  }

  @Test
  void unknownRoutesAreNotFound() throws Exception {
    for (Object[] route : new Object[][] {
        {HttpMethod.GET, "/v1/nope"}, {HttpMethod.GET, "/v1/"}, {HttpMethod.POST, "/v1/keys/count"},
        {HttpMethod.GET, "/v1/messages"}, {HttpMethod.DELETE, "/v1/keys"}, {HttpMethod.PATCH, "/v1/devices/list"},
        {HttpMethod.GET, "/v1/keys/" + bob.path() + "/1/2"}, {HttpMethod.DELETE, "/v1/devices/"},
        {HttpMethod.GET, "/v1/registration/code"}, {HttpMethod.PUT, "/v1/auth/token"}}) {
      json(route[0] + " " + route[1], (HttpMethod) route[0], (String) route[1], alice, null, 404, "NOT_FOUND");
    }
    for (String path : new String[] {"/nope", "/v2/keys/count", "/healthz/x", "/v1websocket"}) {
      json("GET " + path, HttpMethod.GET, path, null, null, 404, "NOT_FOUND");
    }
    json("POST /healthz", HttpMethod.POST, "/healthz", null, new JsonObject(), 404, "NOT_FOUND");
    runCases();
    assertEquals(new JsonObject().put("status", "ok"), expect(alice.get("/healthz", false), 200));
  }

  // --- the delivery WebSocket ---------------------------------------------------------------------

  @Test
  void aWebSocketNeedsAValidToken() throws Exception {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    String expired = relayToken(new AuthenticatedDevice(BOB, 1, bob.registrationId), past);
    JsonObject before = state();
    for (String uri : new String[] {"/v1/websocket", "/v1/websocket?token=", "/v1/websocket?token=garbage",
        "/v1/websocket?token=" + expired, "/v1/websocket?token=" + removedToken,
        "/v1/websocket?token=" + bob.token + "&token=" + bob.token, "/v1/websocket?tok=" + bob.token}) {
      assertEquals(401, rejectedWith(uri), uri);
    }
    assertEquals(404, rejectedWith("/v1/websockets?token=" + bob.token));
    assertEquals(before, state());
    assertEquals(0, relay.server.connections().size());
  }

  private int rejectedWith(String uri) throws Exception {
    java.net.URI base = java.net.URI.create(relay.url());
    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
        await(TestWebSockets.client(relay.vertx).connect(new WebSocketConnectOptions().setHost(base.getHost())
            .setPort(base.getPort()).setURI(uri))));
    return assertInstanceOf(UpgradeRejectedException.class, refused.getCause()).getStatus();
  }

  @Test
  void badFramesFromADeviceAreRefusedAndChangeNothing() throws Exception {
    long aliceQueued = relay.queueSize(ALICE, 2);
    assertEquals(1, aliceQueued);
    long aliceSeq = await(relay.storage.peek(ALICE, 2, 0, 1)).get(0).seq();
    try (TestDevice.Delivery inbox = bob.connect()) {
      TestDevice.Delivered delivered = inbox.envelope();
      inbox.event("queue-empty");
      String marker = "SECRET-MARKER-" + b64(randomBytes(12));
      List<Object> frames = List.of(
          Buffer.buffer(new byte[] {1, 2, 3}),
          Buffer.buffer(new JsonObject().put("type", "ack").put("seq", delivered.seq()).encode()),
          "not json " + marker, "[1,2]", "{}", "\"" + marker + "\"", "{\"type\":\"ack\"}",
          "{\"type\":\"ack\",\"seq\":\"" + delivered.seq() + "\"}", "{\"type\":\"ack\",\"seq\":0}",
          "{\"type\":\"ack\",\"seq\":-5}", "{\"type\":\"nack\",\"seq\":" + delivered.seq() + "}",
          "{\"type\":\"ack\",\"seq\":null}", "{\"type\":\"" + marker + "\",\"seq\":1}", "{\"type\":\"ack\",",
          // Not a seq, whatever its low bits: 2^64 + seq wraps to seq, 1.5 and 1.0 truncate to 1.
          "{\"type\":\"ack\",\"seq\":" + TWO_TO_64.add(BigInteger.valueOf(delivered.seq())) + "}",
          "{\"type\":\"ack\",\"seq\":" + delivered.seq() + ".5}", "{\"type\":\"ack\",\"seq\":" + delivered.seq() + ".0}",
          "{\"type\":\"ack\",\"seq\":" + delivered.seq() + "e0}", "{\"type\":\"ack\",\"seq\":" + Long.MIN_VALUE + "}",
          "{\"type\":\"ack\",\"seq\":" + TWO_TO_64.add(BigInteger.valueOf(delivered.seq())).negate() + "}");
      for (Object frame : frames) {
        if (frame instanceof Buffer binary) {
          await(inbox.socket.writeBinaryMessage(binary));
        } else {
          await(inbox.socket.writeTextMessage((String) frame));
        }
        JsonObject error = inbox.event("error");
        assertEquals("INVALID_FRAME", error.getString("error"), frame.toString());
        assertTrue(error.getString("message") != null && !error.encode().contains(marker), error.encode());
      }
      // Acknowledgements of seqs this device does not have: harmless.
      inbox.ack(delivered.seq() + 1_000_000);
      inbox.ack(aliceSeq);
      inbox.ack(Long.MAX_VALUE);
      assertTrue(inbox.nextEvent("error", 300).isEmpty());
      assertFalse(inbox.isClosed(), "the connection stays open");
      assertEquals(1, relay.queueSize(BOB, 1), "the envelope is still queued");
      assertEquals(1, relay.queueSize(ALICE, 2), "another device's envelope is untouched");

      inbox.ack(delivered.seq());
      long deadline = System.currentTimeMillis() + 5000;
      while (relay.queueSize(BOB, 1) != 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, relay.queueSize(BOB, 1), "the right acknowledgement still works");
    }
  }
}
