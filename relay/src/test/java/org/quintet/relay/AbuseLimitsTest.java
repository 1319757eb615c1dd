package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abuse limits (docs/relay-api.md, "Limits") against the attacks they answer: each attack is
 * refused with {@code 429 RATE_LIMITED}, {@code Retry-After} and {@code retryAfterSeconds}, the
 * refused request changes nothing (no code sent, no guess counted, no pairing, no prekey used, no
 * envelope queued), other clients go on, and the limit lets requests through again once the
 * relay's clock has moved on. Run on one node ({@link AbuseLimitsOneNodeTest}) and on two nodes
 * over one Redis ({@link AbuseLimitsClusterTest}), where requests alternate between the nodes and
 * the counters are shared.
 *
 * <p>The relay trusts 127.0.0.1 as a proxy here, so each simulated client is an
 * {@code X-Forwarded-For} address of its own; the defaults of {@code conf/quintet.json} apply
 * unless a test names others.
 */
abstract class AbuseLimitsTest {
  static final String ALICE = "+8801711000001";
  static final String BOB = "+8801811000002";
  static final String CAROL = "+8801911000003";
  static final String MALLORY = "+8801511000666";
  static final String SCRIPT = "203.0.113.66";

  @TempDir
  Path data;
  final List<TestRelay> nodes = new ArrayList<>();

  /** Starts the node or nodes with {@code config} (the test's rate limits over the shipped defaults). */
  abstract void startNodes(JsonObject config) throws Exception;

  @AfterEach
  void stopNodes() throws Exception {
    for (TestRelay node : nodes) {
      node.close();
    }
  }

  private void start(JsonObject rateLimits) throws Exception {
    startNodes(new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("rateLimits", rateLimits));
  }

  private void start() throws Exception {
    start(new JsonObject());
  }

  /** Node {@code i}, counting round the nodes: with one node, every request goes to it. */
  TestRelay node(int i) {
    return nodes.get(i % nodes.size());
  }

  /** Moves every node's clock: time passes for the whole cluster. */
  void advance(Duration by) {
    nodes.forEach(node -> node.clock.advance(by));
  }

  static JsonObject bucket(int size, int refillSeconds) {
    return new JsonObject().put("bucketSize", size).put("refillSeconds", refillSeconds);
  }

  /** A device that talks to node {@code i} as the client at {@code address}. */
  TestDevice client(int i, String number, String address) {
    TestDevice device = new TestDevice(node(i), number);
    device.forwardedFor = address;
    return device;
  }

  static String number(int i) {
    return String.format("+1555060%04d", i);
  }

  static String address(int i) {
    return "198.51.100." + (i % 250 + 1);
  }

  int codesSent() {
    return nodes.stream().mapToInt(node -> node.codes.sent()).sum();
  }

  boolean codeSentTo(String number) {
    return nodes.stream().anyMatch(node -> node.codes.sentTo(number));
  }

  /** The code last sent to {@code number}, by whichever node sent it. */
  String codeFor(String number) {
    for (TestRelay node : nodes) {
      if (node.codes.sentTo(number)) {
        return node.codes.codeFor(number);
      }
    }
    throw new AssertionError("no code was sent to " + number);
  }

  /** Registers a primary through node {@code i}, as the client at {@code address}. */
  TestDevice primary(int i, String number, String address) throws Exception {
    return client(i, number, address).registerAsPrimary(this::codeFor);
  }

  static HttpResponse<Buffer> requestCode(TestDevice device) throws Exception {
    return device.post("/v1/registration/code", new JsonObject().put("number", device.number), false);
  }

  static HttpResponse<Buffer> verify(TestDevice device, String code) throws Exception {
    return device.post("/v1/registration/verify", device.verifyRequest(code), false);
  }

  static String wrong(String code, int shift) {
    return String.format("%06d", (Integer.parseInt(code) + shift) % 1_000_000);
  }

  /**
   * A refusal by {@code setting}'s limiter: 429 RATE_LIMITED, the wait in the header and the body
   * (the same whole seconds), the limiter named in the message.
   */
  static long expectLimited(HttpResponse<Buffer> response, String setting) {
    JsonObject body = expectError(response, 429, "RATE_LIMITED");
    long wait = body.getLong("retryAfterSeconds");
    assertTrue(wait >= 1, body.encode());
    assertEquals(String.valueOf(wait), response.getHeader("Retry-After"), "Retry-After says the same wait");
    assertTrue(body.getString("message").contains(setting), body.encode());
    return wait;
  }

  /** Refusals counted by {@code limiter} (its label), over every node. */
  double refused(String limiter) throws Exception {
    double total = 0;
    for (TestRelay node : nodes) {
      total += Scrape.from(node.vertx, node.url() + "/metrics").sum("quintet_rate_limited_total", "limiter=" + limiter);
    }
    return total;
  }

  static boolean waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  // --- verification codes --------------------------------------------------------------------------

  @Test
  void oneClientGetsCodesForAFewNumbersAndNoMore() throws Exception {
    start();
    // A script asks for codes for number after number (it once had 2 000 sent in seconds).
    for (int i = 0; i < 20; i++) {
      expect(requestCode(client(i, number(i), SCRIPT)), 200);
    }
    for (int i = 20; i < 26; i++) {
      long wait = expectLimited(requestCode(client(i, number(i), SCRIPT)), "verificationCodesPerIp");
      assertTrue(wait > 100 && wait <= 180, "a token comes back every 3 minutes: " + wait);
      assertFalse(codeSentTo(number(i)), "no code for a refused request");
      assertTrue(await(node(i).storage.pendingVerification(number(i))).isEmpty(), "nothing pending for it");
    }
    assertEquals(20, codesSent());
    assertEquals(6, refused("verification_codes_per_ip"));

    // Someone else, at another address, is not held up.
    expect(requestCode(client(1, CAROL, "203.0.113.7")), 200);

    advance(Duration.ofSeconds(180));
    expect(requestCode(client(0, number(20), SCRIPT)), 200);
    expectLimited(requestCode(client(1, number(21), SCRIPT)), "verificationCodesPerIp");
    assertEquals(22, codesSent());
  }

  @Test
  void aNumberGetsAFewCodesWhoeverAsksAndTheLastOneStillWorks() throws Exception {
    start();
    for (int i = 0; i < 3; i++) {
      expect(requestCode(client(i, ALICE, address(i))), 200);
    }
    String last = codeFor(ALICE);
    JsonObject before = RelayState.of(node(0), ALICE);

    long wait = expectLimited(requestCode(client(1, ALICE, address(3))), "verificationCodesPerNumber");
    assertTrue(wait > 500 && wait <= 600, "a code comes back every 10 minutes: " + wait);
    assertEquals(3, codesSent(), "no code was sent");
    assertEquals(before, RelayState.of(node(1), ALICE), "the pending code is the one sent last");

    advance(Duration.ofSeconds(300));
    expect(verify(client(0, ALICE, address(0)), last), 200);
    advance(Duration.ofSeconds(300));
    expect(requestCode(client(1, ALICE, address(4))), 200);
    assertEquals(4, codesSent());
  }

  @Test
  void theRelaySendsAtMostSoManyCodesInAllAndARefusalCostsNothingElse() throws Exception {
    // Each number gets one code: were a refused request to keep the number's token, the retry failed.
    start(new JsonObject().put("verificationCodesTotal", bucket(5, 600))
        .put("verificationCodesPerNumber", bucket(1, 1800)));
    for (int i = 0; i < 5; i++) {
      expect(requestCode(client(i, number(i), address(i))), 200);
    }
    long wait = expectLimited(requestCode(client(5, number(5), address(5))), "verificationCodesTotal");
    assertTrue(wait > 100 && wait <= 120, "one code every 2 minutes for the whole relay: " + wait);
    expectLimited(requestCode(client(6, number(6), address(6))), "verificationCodesTotal");
    assertEquals(5, codesSent());
    assertEquals(2, refused("verification_codes_total"));

    advance(Duration.ofSeconds(120));
    expect(requestCode(client(7, number(5), address(5))), 200);
    assertTrue(codeSentTo(number(5)), "the number's and the address's tokens were given back at the refusal");
  }

  @Test
  void aPageOfAnotherSiteCannotHaveACodeSent() throws Exception {
    start();
    TestDevice alice = client(0, ALICE, address(0));
    Buffer body = new JsonObject().put("number", ALICE).toBuffer();
    for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", null}) {
      expectError(alice.raw(HttpMethod.POST, "/v1/registration/code", null, type, body), 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    assertEquals(0, codesSent());
    expect(alice.raw(HttpMethod.POST, "/v1/registration/code", null, "application/json; charset=utf-8", body), 200);
    assertEquals(1, codesSent());
  }

  // --- guessing codes ------------------------------------------------------------------------------

  @Test
  void oneClientGetsAFewGuessesAcrossNumbers() throws Exception {
    start();
    for (int i = 0; i < 5; i++) {
      expect(requestCode(client(i, number(i), address(i))), 200);
    }
    // The script sprays guesses over four numbers' codes: five each, the most a code takes.
    for (int guess = 0; guess < 20; guess++) {
      String number = number(guess % 4);
      expectError(verify(client(guess, number, SCRIPT), wrong(codeFor(number), 1 + guess / 4)), 403, "WRONG_CODE");
    }
    JsonObject before = RelayState.of(node(0), number(4));
    long wait = expectLimited(verify(client(1, number(4), SCRIPT), wrong(codeFor(number(4)), 1)),
        "verificationAttemptsPerIp");
    assertTrue(wait > 100 && wait <= 180, "a guess comes back every 3 minutes: " + wait);
    assertEquals(before, RelayState.of(node(1), number(4)), "the refused guess was not counted against the code");

    // The owner, elsewhere, verifies as usual.
    expect(verify(client(0, number(4), address(4)), codeFor(number(4))), 200);

    advance(Duration.ofSeconds(180));
    expectError(verify(client(0, number(0), SCRIPT), codeFor(number(0))), 429, "TOO_MANY_ATTEMPTS");
    expectLimited(verify(client(1, number(0), SCRIPT), codeFor(number(0))), "verificationAttemptsPerIp");
    assertEquals(2, refused("verification_attempts_per_ip"));
  }

  @Test
  void guessesAtOneNumberAreBoundedOverItsCodesAndTheOwnerIsLetInAgain() throws Exception {
    start();
    int guesser = 0;
    // Someone else asks for the number's code and guesses it, from address after address...
    expect(requestCode(client(0, ALICE, address(100))), 200);
    for (int i = 1; i <= 5; i++) {
      expectError(verify(client(guesser, ALICE, address(guesser++)), wrong(codeFor(ALICE), i)), 403, "WRONG_CODE");
    }
    expectError(verify(client(guesser, ALICE, address(guesser++)), codeFor(ALICE)), 429, "TOO_MANY_ATTEMPTS");
    // ... asks for a fresh code, which starts a clean count, and guesses on.
    expect(requestCode(client(1, ALICE, address(101))), 200);
    for (int i = 1; i <= 4; i++) {
      expectError(verify(client(guesser, ALICE, address(guesser++)), wrong(codeFor(ALICE), i)), 403, "WRONG_CODE");
    }
    // Ten guesses at the number, over its codes: no more, whoever asks.
    long wait = expectLimited(verify(client(guesser, ALICE, address(guesser++)), wrong(codeFor(ALICE), 5)),
        "verificationAttemptsPerNumber");
    assertTrue(wait > 300 && wait <= 360, "a guess comes back every 6 minutes: " + wait);

    // The owner asks for a code of their own; while the guesses' budget is used up, they wait too.
    TestDevice owner = client(0, ALICE, "203.0.113.1");
    expect(requestCode(owner), 200);
    String ownersCode = codeFor(ALICE);
    JsonObject before = RelayState.of(node(0), ALICE);
    expectLimited(verify(owner, ownersCode), "verificationAttemptsPerNumber");
    assertEquals(before, RelayState.of(node(1), ALICE), "the refused attempt did not touch the code");
    assertEquals(0, before.getJsonObject(ALICE).getJsonObject("pending").getInteger("failedAttempts"));

    // The lock-out ends: a few minutes later, well within the code's life, the owner is in.
    advance(Duration.ofSeconds(360));
    expect(verify(owner.attach(node(1)), ownersCode), 200);
    assertTrue(await(node(0).storage.account(ALICE)).isPresent());
  }

  // --- linking by code -------------------------------------------------------------------------------

  /** A companion's provisioning socket, as the client at {@code address}. */
  final class Companion implements AutoCloseable {
    final WebSocket socket;
    final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

    Companion(int i, String address) throws Exception {
      URI uri = URI.create(node(i).url());
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
          .setURI("/v1/provisioning/websocket");
      if (address != null) {
        options.addHeader("X-Forwarded-For", address);
      }
      // The handler is set before the socket connects: the address frame comes at once.
      ClientWebSocket opening = TestWebSockets.client(node(i).vertx).webSocket();
      opening.textMessageHandler(text -> frames.add(new JsonObject(text)));
      socket = await(opening.connect(options));
      assertEquals("address", next().getString("type"));
    }

    JsonObject next() throws InterruptedException {
      JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no frame from the relay");
      }
      return frame;
    }

    /** Asks to pair with {@code number}'s primary: the relay's answer. */
    JsonObject pair(String number) throws InterruptedException {
      byte[] hello = TestDevice.randomBytes(130);
      hello[0] = 1;
      hello[1] = 0x20;
      socket.writeTextMessage(new JsonObject().put("type", "pair").put("number", number)
          .put("hello", TestDevice.b64(hello)).encode());
      JsonObject frame;
      do {
        frame = next();
      } while ("address".equals(frame.getString("type")));
      return frame;
    }

    @Override
    public void close() throws Exception {
      await(socket.close());
    }
  }

  static void expectLimitedFrame(JsonObject frame, String setting) {
    assertEquals("error", frame.getString("type"), frame.encode());
    assertEquals("RATE_LIMITED", frame.getString("error"), frame.encode());
    assertTrue(frame.getLong("retryAfterSeconds") >= 1, frame.encode());
    assertTrue(frame.getString("message").contains(setting), frame.encode());
  }

  @Test
  void pairingRequestsAreLimitedPerNumberAndPerClient() throws Exception {
    start();
    TestDevice alice = primary(0, ALICE, address(200));
    List<Companion> companions = new ArrayList<>();
    try (TestDevice.Delivery inbox = alice.connect()) {
      inbox.event("queue-empty");
      // Anyone may ask to link with a number, from anywhere: five requests ring its primary...
      for (int i = 0; i < 5; i++) {
        Companion companion = new Companion(i, address(i));
        companions.add(companion);
        assertEquals("pairing", companion.pair(ALICE).getString("type"));
        inbox.event("pairing-request");
      }
      // ... and the next waits, wherever it comes from; the primary hears nothing of it.
      Companion sixth = new Companion(1, address(5));
      companions.add(sixth);
      expectLimitedFrame(sixth.pair(ALICE), "pairingsPerNumber");
      assertEquals(5, expect(alice.get("/v1/pairing"), 200).getJsonArray("requests").size(), "no pairing was made");

      // One client naming number after number (a socket each) gets a few requests, which tell it
      // nothing of whether the numbers are registered, then waits.
      for (int i = 0; i < 10; i++) {
        Companion script = new Companion(i % 2, SCRIPT);
        companions.add(script);
        assertEquals("pairing", script.pair(number(i)).getString("type"));
      }
      Companion script = new Companion(0, SCRIPT);
      companions.add(script);
      expectLimitedFrame(script.pair(ALICE), "pairingsPerIp");
      assertEquals(1, refused("pairings_per_number"));
      assertEquals(1, refused("pairings_per_ip"));

      advance(Duration.ofSeconds(120));
      assertEquals("pairing", sixth.pair(ALICE).getString("type"), "a request came back after two minutes");
      inbox.event("pairing-request");
      assertEquals(6, expect(alice.get("/v1/pairing"), 200).getJsonArray("requests").size());
      assertTrue(inbox.nextEvent("pairing-request", 200).isEmpty(), "one ring per request made");
    } finally {
      for (Companion companion : companions) {
        companion.close();
      }
    }
  }

  // --- prekeys ---------------------------------------------------------------------------------------

  @Test
  void bundleFetchesAreLimitedPerTargetAndPerRequester() throws Exception {
    start(new JsonObject().put("preKeyFetchesPerAccount", bucket(12, 600)));
    TestDevice alice = primary(0, ALICE, address(0));
    TestDevice bob = primary(1, BOB, address(1));
    TestDevice carol = primary(0, CAROL, address(2));
    TestDevice mallory = primary(1, MALLORY, SCRIPT);
    assertEquals(20, node(0).oneTimePreKeys(ALICE, 1));

    // Twenty-five fetches once drained a victim's twenty one-time prekeys.
    int fetched = 0;
    for (int i = 0; i < 25; i++) {
      HttpResponse<Buffer> response = mallory.attach(node(i)).get("/v1/keys/" + alice.path() + "/1");
      if (response.statusCode() == 200) {
        fetched++;
      } else {
        expectLimited(response, "preKeyFetchesPerTarget");
      }
    }
    assertEquals(10, fetched);
    assertEquals(10, node(1).oneTimePreKeys(ALICE, 1), "half of the victim's one-time prekeys are left");

    // The requester's own budget: two more fetches of another target, then none.
    expect(mallory.get("/v1/keys/" + bob.path()), 200);
    expect(mallory.get("/v1/keys/" + bob.path() + "/1"), 200);
    JsonObject bobBefore = RelayState.of(node(0), BOB);
    expectLimited(mallory.get("/v1/keys/" + bob.path() + "/1"), "preKeyFetchesPerAccount");
    assertEquals(bobBefore, RelayState.of(node(1), BOB), "a refused fetch used up no prekey");
    assertEquals(18, node(0).oneTimePreKeys(BOB, 1));
    expect(carol.get("/v1/keys/" + bob.path() + "/1"), 200);

    advance(Duration.ofSeconds(60));
    expect(carol.attach(node(1)).get("/v1/keys/" + alice.path() + "/1"), 200);
    assertEquals(9, node(0).oneTimePreKeys(ALICE, 1));
    assertEquals(15, refused("pre_key_fetches_per_target"));
    assertEquals(1, refused("pre_key_fetches_per_account"));
  }

  // --- sending -----------------------------------------------------------------------------------------

  @Test
  void aDeviceSendsABurstThenAtTheRefillRate() throws Exception {
    start(new JsonObject().put("sendsPerDevice", bucket(10, 100)));
    TestDevice alice = primary(0, ALICE, address(0));
    TestDevice bob = primary(1, BOB, address(1));
    for (int i = 0; i < 10; i++) {
      expect(alice.attach(node(i)).send("burst " + i, bob), 200);
    }
    JsonObject before = RelayState.of(node(0), BOB, ALICE);
    long wait = expectLimited(alice.attach(node(1)).send("one too many", bob), "sendsPerDevice");
    assertTrue(wait > 5 && wait <= 10, "a send comes back every 10 s: " + wait);
    assertEquals(before, RelayState.of(node(1), BOB, ALICE), "nothing was queued");
    assertEquals(10, node(0).queueSize(BOB, 1));
    expect(bob.send("bob is not held up", alice), 200);

    advance(Duration.ofSeconds(10));
    expect(alice.attach(node(0)).send("later", bob), 200);
    assertEquals(11, node(1).queueSize(BOB, 1));
    try (TestDevice.Delivery inbox = bob.connect()) {
      List<TestDevice.Delivered> delivered = inbox.receive(11);
      assertEquals("later", bob.decrypt(delivered.get(10).envelope()));
    }
  }

  // --- the account's devices ------------------------------------------------------------------------

  @Test
  void renamesAreCountedForTheAccountWhicheverOfItsDevicesRenames() throws Exception {
    start(new JsonObject().put("deviceRenamesPerAccount", bucket(3, 300)));
    TestDevice alice = primary(0, ALICE, address(0));
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice bob = primary(1, BOB, address(1));
    expect(alice.attach(node(0)).put("/v1/devices/1/name", new JsonObject().put("name", "phone")), 200);
    expect(alice2.attach(node(1)).put("/v1/devices/2/name", new JsonObject().put("name", "laptop")), 200);
    expect(alice.attach(node(2)).put("/v1/devices/2/name", new JsonObject().put("name", "work laptop")), 200);

    JsonObject before = RelayState.of(node(0), ALICE);
    long wait = expectLimited(alice2.attach(node(1)).put("/v1/devices/2/name",
        new JsonObject().put("name", "one too many")), "deviceRenamesPerAccount");
    assertTrue(wait > 60 && wait <= 100, "a rename comes back every 100 s: " + wait);
    assertEquals(before, RelayState.of(node(1), ALICE), "a refused rename changes nothing");
    expect(bob.attach(node(0)).put("/v1/devices/1/name", new JsonObject().put("name", "bob's phone")), 200);

    advance(Duration.ofSeconds(100));
    expect(alice2.attach(node(0)).put("/v1/devices/2/name", new JsonObject().put("name", "laptop again")), 200);
    assertEquals(1, refused("device_renames_per_account"));
  }

  // --- sockets -----------------------------------------------------------------------------------------

  @Test
  void deliverySocketsFromOneAddressAreCappedOnEachNode() throws Exception {
    startNodes(new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("connectionLimits", new JsonObject().put("deliverySocketsPerIp", 2)));
    TestDevice alice = primary(0, ALICE, SCRIPT);
    TestDevice bob = primary(0, BOB, SCRIPT);
    TestDevice carol = primary(0, CAROL, SCRIPT);
    try (TestDevice.Delivery first = alice.connect(); TestDevice.Delivery second = bob.connect()) {
      ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          carol::connect);
      assertEquals(429, ((UpgradeRejectedException) refused.getCause()).getStatus());
      carol.forwardedFor = address(9);
      carol.connect().close();
      carol.forwardedFor = SCRIPT;
      first.close();
      assertTrue(waitUntil(() -> {
        try (TestDevice.Delivery third = carol.connect()) {
          return true;
        } catch (Exception e) {
          return false;
        }
      }), "a slot is free again once a socket closed");
    }
    assertTrue(refused("delivery_sockets_per_ip") >= 1);
  }

  @Test
  void provisioningSocketsFromOneAddressAreCappedOnEachNode() throws Exception {
    startNodes(new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
        .put("connectionLimits", new JsonObject().put("provisioningSocketsPerIp", 3)));
    List<Companion> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(new Companion(0, SCRIPT));
      }
      ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> new Companion(0, SCRIPT));
      assertEquals(429, ((UpgradeRejectedException) refused.getCause()).getStatus());
      open.add(new Companion(0, address(1)));
      if (nodes.size() > 1) {
        open.add(new Companion(1, SCRIPT)); // each node counts its own sockets
      }
      open.remove(0).close();
      assertTrue(waitUntil(() -> {
        try {
          open.add(new Companion(0, SCRIPT));
          return true;
        } catch (Exception e) {
          return false;
        }
      }), "a slot is free again once a socket closed");
    } finally {
      for (Companion companion : open) {
        companion.close();
      }
    }
  }
}
