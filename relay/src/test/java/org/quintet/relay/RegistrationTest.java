package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.DeviceCert;

/** Registering a number on a primary: codes, their limits, and taking a number over from earlier devices. */
class RegistrationTest {
  private static final String ALICE = "+15550100001";
  private static final String BOB = "+15550100002";
  private static final int CODE_TTL_SECONDS = 300;

  @TempDir
  Path data;
  TestRelay relay;

  @BeforeEach
  void start() throws Exception {
    // Room for the many guesses below: how many a number and a client get is RegistrationLimitsTest's.
    JsonObject roomy = new JsonObject().put("bucketSize", 100).put("refillSeconds", 3600);
    relay = TestRelay.start(data, new JsonObject().put("limits", new JsonObject()
        .put("codeTtlSeconds", CODE_TTL_SECONDS)).put("rateLimits", new JsonObject()
        .put("verificationAttemptsPerNumber", roomy).put("verificationAttemptsPerIp", roomy)));
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  private HttpResponse<Buffer> requestCode(TestDevice device) throws Exception {
    return device.post("/v1/registration/code", new JsonObject().put("number", device.number), false);
  }

  private HttpResponse<Buffer> verify(TestDevice device, String code) throws Exception {
    return device.post("/v1/registration/verify", device.verifyRequest(code), false);
  }

  private static String wrong(String code, int shift) {
    return String.format("%06d", (Integer.parseInt(code) + shift) % 1_000_000);
  }

  @Test
  void aVerifiedCodeMakesTheDeviceThePrimary() throws Exception {
    TestDevice alice = new TestDevice(relay, ALICE);

    JsonObject requested = expect(requestCode(alice), 200);
    assertEquals(CODE_TTL_SECONDS, requested.getInteger("expiresInSeconds"), "the configured code lifetime");
    String code = relay.codes.codeFor(ALICE);
    assertTrue(code.matches("[0-9]{6}"), code);
    assertTrue(await(relay.storage.pendingVerification(ALICE)).isPresent());

    JsonObject verified = expect(verify(alice, code), 200);
    assertEquals(new JsonObject().put("number", ALICE).put("deviceId", 1), verified);
    assertTrue(await(relay.storage.pendingVerification(ALICE)).isEmpty(), "the request is forgotten");
    alice.deviceId = 1;
    alice.login();

    JsonObject account = expect(alice.get("/v1/accounts/" + alice.path()), 200);
    assertEquals(ALICE, account.getString("number"));
    assertEquals(b64(alice.identity.signing().publicKey()), account.getString("accountKey"));
    assertEquals(1, account.getLong("deviceListVersion"));
    JsonArray devices = account.getJsonArray("devices");
    assertEquals(1, devices.size());
    JsonObject primary = devices.getJsonObject(0);
    assertEquals(1, primary.getLong("deviceId"));
    assertEquals(alice.registrationId, primary.getInteger("registrationId"));
    assertEquals(b64(alice.identity.publicKey().encode()), primary.getString("identityKey"));
    assertEquals("test primary", primary.getString("name"), "own account: name and platform too");
    assertEquals("test", primary.getString("platform"));
    assertTrue(primary.getLong("createdAt") > 0 && primary.getLong("lastSeenAt") >= primary.getLong("createdAt"));
    assertEquals(20, relay.oneTimePreKeys(ALICE, 1));

    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    JsonObject seenByBob = expect(bob.get("/v1/accounts/" + alice.path()), 200);
    assertFalse(seenByBob.getJsonArray("devices").getJsonObject(0).containsKey("name"),
        "another account's device names are not shown");
    assertEquals(seenByBob.getString("accountKey"), account.getString("accountKey"));

    expectError(verify(alice, code), 410, "NO_PENDING_CODE");
  }

  @Test
  void wrongCodesCountDownTheFifthEndsTheCodeAndAFreshCodeStartsClean() throws Exception {
    TestDevice alice = new TestDevice(relay, ALICE);
    expect(requestCode(alice), 200);
    String code = relay.codes.codeFor(ALICE);

    for (int attempt = 1; attempt <= 5; attempt++) {
      JsonObject refused = expectError(verify(alice, wrong(code, attempt)), 403, "WRONG_CODE");
      assertEquals(5 - attempt, refused.getInteger("attemptsLeft"));
      assertFalse(refused.encode().contains(code) || refused.encode().contains(wrong(code, attempt)),
          "no code in an answer: " + refused);
    }
    expectError(verify(alice, code), 429, "TOO_MANY_ATTEMPTS");
    assertTrue(await(relay.storage.account(ALICE)).isEmpty(), "no account after refused attempts");

    // Someone else's wrong guesses do not lock the owner out: a new code counts from nothing.
    expect(requestCode(alice), 200);
    String fresh = relay.codes.codeFor(ALICE);
    JsonObject refused = expectError(verify(alice, wrong(fresh, 1)), 403, "WRONG_CODE");
    assertEquals(4, refused.getInteger("attemptsLeft"), "the fresh code's own count");
    if (!fresh.equals(code)) {
      expectError(verify(alice, code), 403, "WRONG_CODE");
    }
    expect(verify(alice, fresh), 200);
  }

  @Test
  void anExpiredCodeIsGoneAndANewOneWorks() throws Exception {
    TestDevice alice = new TestDevice(relay, ALICE);
    expect(requestCode(alice), 200);
    String first = relay.codes.codeFor(ALICE);
    relay.clock.advance(Duration.ofSeconds(CODE_TTL_SECONDS + 1));
    expectError(verify(alice, first), 410, "NO_PENDING_CODE");

    expect(requestCode(alice), 200);
    JsonObject refused = expectError(verify(alice, wrong(relay.codes.codeFor(ALICE), 1)), 403, "WRONG_CODE");
    assertEquals(4, refused.getInteger("attemptsLeft"));
    expect(verify(alice, relay.codes.codeFor(ALICE)), 200);
  }

  @Test
  void concurrentGuessesGetNoMoreThanTheAllowedAttempts() throws Exception {
    TestDevice alice = new TestDevice(relay, ALICE);
    expect(requestCode(alice), 200);
    String code = relay.codes.codeFor(ALICE);

    List<Future<HttpResponse<Buffer>>> guesses = new ArrayList<>();
    for (int i = 1; i <= 24; i++) {
      guesses.add(alice.postAsync("/v1/registration/verify", alice.verifyRequest(wrong(code, i)), false));
    }
    int wrongCode = 0;
    int tooMany = 0;
    for (Future<HttpResponse<Buffer>> guess : guesses) {
      HttpResponse<Buffer> response = await(guess);
      if (response.statusCode() == 403) {
        expectError(response, 403, "WRONG_CODE");
        wrongCode++;
      } else {
        expectError(response, 429, "TOO_MANY_ATTEMPTS");
        tooMany++;
      }
    }
    assertEquals(5, wrongCode, "exactly the allowed number of guesses is compared with the code");
    assertEquals(19, tooMany);
    expectError(verify(alice, code), 429, "TOO_MANY_ATTEMPTS");
    assertTrue(await(relay.storage.account(ALICE)).isEmpty());
  }

  @Test
  void noPendingCodeIsGone() throws Exception {
    TestDevice alice = new TestDevice(relay, ALICE);
    expectError(verify(alice, "123456"), 410, "NO_PENDING_CODE");

    expect(requestCode(alice), 200);
    String code = relay.codes.codeFor(ALICE);
    relay.clock.advance(Duration.ofSeconds(CODE_TTL_SECONDS + 1));
    expectError(verify(alice, code), 410, "NO_PENDING_CODE");
    assertTrue(await(relay.storage.account(ALICE)).isEmpty());
  }

  @Test
  void registeringTheNumberOnANewPrimaryEndsTheEarlierAccount() throws Exception {
    TestDevice primary = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice companion = primary.linkCompanion(2);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    DeviceCert oldCompanionCert = companion.pendingCert;

    TestDevice.Delivery primaryInbox = primary.connect();
    TestDevice.Delivery companionInbox = companion.connect();
    primaryInbox.event("queue-empty");
    companionInbox.event("queue-empty");
    expect(bob.send("before the new phone", primary, companion), 200);
    assertEquals("before the new phone", primary.decrypt(primaryInbox.envelope().envelope()));
    assertEquals("before the new phone", companion.decrypt(companionInbox.envelope().envelope()));
    assertEquals(1, relay.queueSize(ALICE, 1), "delivered, not acknowledged: still queued");
    assertEquals(1, relay.queueSize(ALICE, 2));
    assertEquals(19, relay.oneTimePreKeys(ALICE, 2), "bob took one for his session");

    TestDevice newPhone = new TestDevice(relay, ALICE).registerAsPrimary(relay);

    assertEquals(4002, primaryInbox.closeCode());
    assertEquals(4002, companionInbox.closeCode());
    assertEquals("reregistered", primaryInbox.closeReason);
    assertEquals("reregistered", companionInbox.closeReason);
    expectError(primary.get("/v1/keys/count"), 401, "DEVICE_GONE");
    expectError(companion.get("/v1/keys/count"), 401, "DEVICE_GONE");
    // Device 1 exists, but not with the old primary's key: to it, the same answer as removed.
    expectError(primary.post("/v1/auth/token", primary.loginRequest(), false), 401, "UNKNOWN_DEVICE");
    expectError(companion.post("/v1/auth/token", companion.loginRequest(), false), 401, "UNKNOWN_DEVICE");
    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        companion::connect);
    assertEquals(401, ((UpgradeRejectedException) refused.getCause()).getStatus());
    assertEquals(0, relay.queueSize(ALICE, 1), "the earlier devices' queues are deleted");
    assertEquals(0, relay.queueSize(ALICE, 2));
    assertEquals(0, relay.oneTimePreKeys(ALICE, 2), "and their prekeys");
    assertEquals(20, relay.oneTimePreKeys(ALICE, 1), "the new primary's own prekeys");

    JsonObject account = expect(bob.get("/v1/accounts/" + newPhone.path()), 200);
    assertEquals(b64(newPhone.identity.signing().publicKey()), account.getString("accountKey"));
    assertEquals(1, account.getLong("deviceListVersion"));
    assertEquals(new JsonArray().add(new JsonObject().put("deviceId", 1)
        .put("registrationId", newPhone.registrationId).put("identityKey", b64(newPhone.identity.publicKey().encode()))),
        account.getJsonArray("devices"));

    try (TestDevice.Delivery inbox = newPhone.connect()) {
      inbox.event("queue-empty");
      assertTrue(inbox.nextEnvelope(200).isEmpty(), "nothing of the earlier account reaches the new primary");
    }

    // A sender that still knows the earlier devices is told what changed; nothing is queued.
    JsonObject mismatch = expectError(bob.send("to the old phone", primary, companion), 409, "DEVICE_MISMATCH");
    assertEquals(new JsonArray().add(new JsonObject().put("number", ALICE).put("missing", new JsonArray())
        .put("extra", new JsonArray().add(2)).put("stale", new JsonArray().add(1))), mismatch.getJsonArray("mismatches"));
    assertEquals(0, relay.queueSize(ALICE, 1));

    // The earlier account's certificate is worthless now, and ids are never used again.
    expectError(companion.link(oldCompanionCert), 400, "INVALID_CERT");
    TestDevice reused = newPhone.newCompanion();
    expectError(reused.link(newPhone.certify(reused, 2)), 409, "DEVICE_ID_TAKEN");
    TestDevice third = newPhone.linkCompanion(3);
    assertEquals(3, third.deviceId);
    assertEquals(List.of(1L, 3L), expect(bob.get("/v1/accounts/" + newPhone.path()), 200).getJsonArray("devices")
        .stream().map(d -> ((JsonObject) d).getLong("deviceId")).toList());
    assertArrayEquals(newPhone.identity.signing().publicKey(), await(relay.storage.account(ALICE)).orElseThrow()
        .accountKey());
  }
}
