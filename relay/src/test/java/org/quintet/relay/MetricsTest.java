package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.DeviceCert;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * GET /metrics after real traffic: each counter moves by exactly what the test did, the gauges
 * follow the connections and the queues, Vert.x's and the JVM's meters are there, and no label
 * carries anything of a user's. Where it is served: the relay's port, an admin port, nowhere.
 */
class MetricsTest {
  private static final String ALICE = "+15550300001";
  private static final String BOB = "+15550300002";
  private static final String CAROL = "+15550300003";
  private static final String NOBODY = "+15550300009";

  @TempDir
  Path data;

  @Test
  void trafficMovesEachCounterByWhatHappenedAndTheGaugesFollow() throws Exception {
    try (TestRelay relay = TestRelay.start(data)) {
      Scrape before = scrape(relay);
      assertEquals(0, before.value("quintet_queue_depth"), "an empty relay's queues");
      assertEquals(0, before.value("quintet_connected_devices"));
      assertEquals(1, before.value("quintet_ready"));

      // Registration: two numbers verified, one wrong code.
      TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
      TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
      TestDevice carol = new TestDevice(relay, CAROL);
      expect(carol.post("/v1/registration/code", new JsonObject().put("number", CAROL), false), 200);
      String wrong = relay.codes.codeFor(CAROL).equals("000000") ? "000001" : "000000";
      expectError(carol.post("/v1/registration/verify", carol.verifyRequest(wrong), false), 403, "WRONG_CODE");

      // Sending: one message queued, one refused for a stale device, one malformed.
      expect(alice.send("hello bob", bob), 200);
      JsonObject stale = alice.sendRequest(TestDevice.messageId(), "to a stale device", List.of(bob));
      stale.getJsonArray("recipients").getJsonObject(0).getJsonArray("messages").getJsonObject(0)
          .put("registrationId", bob.registrationId == 1 ? 2 : 1);
      expectError(alice.post("/v1/messages", stale, true), 409, "DEVICE_MISMATCH");
      expectError(alice.post("/v1/messages", new JsonObject(), true), 400, "INVALID_REQUEST");

      relay.clock.advance(RelayLimits.QUEUE_DEPTH_REFRESH);
      Scrape sent = scrape(relay);
      assertEquals(1, sent.value("quintet_queue_depth"), "bob's message waits");
      assertEquals(1, delta(before, sent, "quintet_envelopes_queued_total", "origin=send"));
      assertEquals(1, delta(before, sent, "quintet_send_duration_seconds_count", "outcome=ok"));
      assertEquals(1, delta(before, sent, "quintet_send_duration_seconds_count", "outcome=mismatch"));
      assertEquals(1, delta(before, sent, "quintet_send_duration_seconds_count", "outcome=refused"));
      assertEquals(0, delta(before, sent, "quintet_send_duration_seconds_count", "outcome=failed"));
      assertTrue(sent.value("quintet_send_duration_seconds_sum", "outcome=ok") > 0);
      assertEquals(1, sent.value("quintet_send_duration_seconds_bucket", "outcome=ok", "le=+Inf"),
          "send latency is a histogram, for p99 across nodes");
      assertEquals(3, delta(before, sent, "quintet_verification_codes_sent_total", "channel=log", "outcome=sent"));
      assertEquals(2, delta(before, sent, "quintet_verifications_total", "outcome=verified"));
      assertEquals(1, delta(before, sent, "quintet_verifications_total", "outcome=wrong_code"));
      assertTrue(delta(before, sent, "quintet_storage_commit_duration_seconds_count", "backend=sqlite") > 0,
          "registrations and the send committed");

      // Delivery: bob gets the message and acknowledges it; alice gets the receipt and acknowledges it.
      try (TestDevice.Delivery bobInbox = bob.connect()) {
        awaitValue(relay, "quintet_connected_devices", 1);
        assertEquals("hello bob", bob.decrypt(bobInbox.receive(1).get(0).envelope()));
        try (TestDevice.Delivery aliceInbox = alice.connect()) {
          awaitValue(relay, "quintet_connected_devices", 2);
          aliceInbox.receive(1);
          awaitDelta(relay, before, "quintet_envelopes_acknowledged_total", 2);
        }
        awaitValue(relay, "quintet_connected_devices", 1);
      }
      awaitValue(relay, "quintet_connected_devices", 0);
      relay.clock.advance(RelayLimits.QUEUE_DEPTH_REFRESH);
      Scrape delivered = scrape(relay);
      assertEquals(0, delivered.value("quintet_queue_depth"), "everything was acknowledged");
      assertEquals(1, delta(before, delivered, "quintet_envelopes_queued_total", "origin=receipt"));
      assertEquals(2, delta(before, delivered, "quintet_envelopes_delivered_total"));
      assertEquals(2, delta(before, delivered, "quintet_delivery_connections_opened_total"));
      assertEquals(2, delta(before, delivered, "quintet_delivery_connections_closed_total"));

      // Linking: a QR provisioning and an old QR, a code request with a wrong code that the companion
      // abandons, a code request for a number without an account, a companion admitted, one refused.
      BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
      WebSocket companion = provisioningSocket(relay, frames);
      String address = next(frames, "address").getString("address");
      expect(alice.put("/v1/provisioning/" + address, new JsonObject().put("message", b64(TestDevice.randomBytes(64)))),
          200);
      next(frames, "provision");
      expectError(alice.put("/v1/provisioning/AAAAAAAAAAAAAAAAAAAAAA", new JsonObject().put("message", "AAAA")), 404,
          "NOT_FOUND");
      companion.writeTextMessage(pair(ALICE).encode());
      next(frames, "pairing");
      companion.writeTextMessage(new JsonObject().put("type", "wrong-code").encode());
      TestRelay.await(companion.close());
      BlockingQueue<JsonObject> strangerFrames = new LinkedBlockingQueue<>();
      WebSocket stranger = provisioningSocket(relay, strangerFrames);
      next(strangerFrames, "address");
      // A number without an account is not refused: its request goes the way of any other.
      stranger.writeTextMessage(pair(NOBODY).encode());
      next(strangerFrames, "pairing");
      TestRelay.await(stranger.close());
      alice.linkUnlisted(2);
      TestDevice late = alice.newCompanion();
      DeviceCert wrongId = alice.certify(late, 5);
      expectError(late.link(wrongId), 409, "DEVICE_ID_TAKEN");

      Scrape linked = awaitDelta(relay, before, "quintet_link_refused_total", 5);
      assertEquals(1, delta(before, linked, "quintet_link_started_total", "method=qr"));
      // Alice's request, and the one for a number without an account, which its companion cancelled.
      assertEquals(2, delta(before, linked, "quintet_link_started_total", "method=code"));
      assertEquals(1, delta(before, linked, "quintet_link_completed_total"));
      assertEquals(1, delta(before, linked, "quintet_link_refused_total", "step=qr", "reason=unknown_address"));
      assertEquals(1, delta(before, linked, "quintet_link_refused_total", "step=code", "reason=wrong_code"));
      assertEquals(2, delta(before, linked, "quintet_link_refused_total", "step=code", "reason=cancelled"));
      assertEquals(1, delta(before, linked, "quintet_link_refused_total", "step=admit", "reason=device_id_taken"));

      // Vert.x's own meters: requests by the patterns of their routes (never the path), WebSockets, the JVM.
      assertEquals(1, linked.sum("vertx_http_server_requests_total", "route$=/v1/messages", "code=200"), linked.text);
      assertTrue(linked.has("vertx_http_server_requests_total", "route$=/v1/keys/:number/:deviceId"),
          "a route with a number in its path is counted under its pattern");
      assertTrue(linked.has("vertx_http_server_active_ws_connections"));
      assertTrue(linked.has("jvm_memory_used_bytes"));

      // Nothing of a user's in any label: no number, token, device or address.
      for (String label : linked.labelValues()) {
        for (String secret : List.of(ALICE.substring(1), BOB.substring(1), CAROL.substring(1), alice.token, bob.token,
            address)) {
          assertFalse(label.contains(secret), "a label carries " + secret + ": " + label);
        }
      }
    }
  }

  @Test
  void overRedisTheQueueDepthIsTheClustersAndRedisErrorsAndReconnectsAreCounted(@TempDir Path redisData)
      throws Exception {
    try (RedisServer redis = RedisServer.start();
        TestRelay relay = TestRelay.start(redisData, new JsonObject().put("redis", new JsonObject().put("url",
            redis.url())))) {
      Scrape before = scrape(relay);
      TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
      TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
      expect(alice.send("one", bob), 200);
      expect(alice.send("two", bob), 200);
      relay.clock.advance(RelayLimits.QUEUE_DEPTH_REFRESH);
      Scrape sent = scrape(relay);
      assertEquals(2, sent.value("quintet_queue_depth"), "bob's two messages wait in Redis");
      assertTrue(delta(before, sent, "quintet_storage_commit_duration_seconds_count", "backend=redis") >= 4,
          "two registrations and two sends, a write script each at least");
      assertEquals(0, sent.sum("quintet_storage_commit_duration_seconds_count", "backend=sqlite"));

      redis.killProcess();
      expectError(alice.post("/v1/messages", alice.sendRequest(TestDevice.messageId(), "lost", List.of(bob)), true),
          500, "INTERNAL");
      Scrape down = scrape(relay);
      assertEquals(0, down.value("quintet_ready"), "the node cannot serve without its Redis");
      assertTrue(delta(before, down, "quintet_redis_errors_total", "kind=connection") >= 1, down.text);

      redis.restart();
      awaitValue(relay, "quintet_ready", 1);
      Scrape back = scrape(relay);
      assertTrue(delta(before, back, "quintet_redis_reconnects_total", "connection=commands") >= 1, back.text);
      assertTrue(delta(before, back, "quintet_redis_reconnects_total", "connection=subscriptions") >= 1, back.text);
    }
  }

  @Test
  void anAdminPortServesTheMetricsAndThePublicPortDoesNot() throws Exception {
    try (TestRelay relay = TestRelay.start(data, new JsonObject().put("metrics", new JsonObject().put("port", 0)))) {
      int adminPort = relay.server.metricsPort();
      assertTrue(adminPort > 0 && adminPort != relay.server.port());
      Scrape admin = Scrape.from(relay.vertx, "http://127.0.0.1:" + adminPort + "/metrics");
      assertTrue(admin.has("quintet_connected_devices"));

      TestDevice anyone = new TestDevice(relay, ALICE);
      expectError(anyone.get("/metrics", false), 404, "NOT_FOUND");
      assertEquals(404, TestRelay.await(WebClient.create(relay.vertx)
          .getAbs("http://127.0.0.1:" + adminPort + "/healthz").send()).statusCode(), "the admin port serves metrics only");
    }
  }

  @Test
  void metricsTurnedOffAreServedNowhere() throws Exception {
    try (TestRelay relay = TestRelay.start(data, new JsonObject().put("metrics", new JsonObject().put("enabled",
        false)))) {
      expectError(new TestDevice(relay, ALICE).get("/metrics", false), 404, "NOT_FOUND");
      assertEquals(-1, relay.server.metricsPort());
    }
  }

  /** docs/operations.md lists every metric the relay serves, and every value of its labels; and no other. */
  @Test
  void docsOperationsMdListsEveryMetricAndLabelValue() throws Exception {
    String document = Files.readString(Path.of(System.getProperty("quintet.docs.dir"), "operations.md"));
    Set<String> documented = new TreeSet<>();
    Matcher mention = Pattern.compile("`(quintet_[a-z_]+)`").matcher(document);
    while (mention.find()) {
      documented.add(mention.group(1));
    }
    try (TestRelay relay = TestRelay.start(data)) {
      Scrape scrape = scrape(relay);
      Set<String> served = new TreeSet<>();
      for (String line : scrape.text.split("\n")) {
        Matcher sample = Pattern.compile("^(quintet_[a-z_]+?)(_bucket|_count|_sum|_max)?[{ ]").matcher(line);
        if (sample.find()) {
          served.add(sample.group(1));
        }
      }
      served.add("quintet_verification_codes_sent_total");  // registered when the first code goes out
      assertEquals(served, documented);
      Matcher quintetLabels = Pattern.compile("^quintet_[a-z_]+\\{([^}]*)}", Pattern.MULTILINE).matcher(scrape.text);
      while (quintetLabels.find()) {
        for (String label : quintetLabels.group(1).split(",")) {
          String value = label.substring(label.indexOf('"') + 1, label.length() - 1);
          if (!label.startsWith("le=")) {
            assertTrue(document.contains("`" + value + "`"), "docs/operations.md does not name " + label);
          }
        }
      }
    }
  }

  // --- helpers --------------------------------------------------------------------------------------

  private static Scrape scrape(TestRelay relay) throws Exception {
    return Scrape.from(relay.vertx, relay.url() + "/metrics");
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  /** Scrapes until the gauge has this value: the relay handles a close or an acknowledgement after the client's call. */
  private static void awaitValue(TestRelay relay, String gauge, double expected) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    Scrape now = scrape(relay);
    while (now.value(gauge) != expected) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(gauge + " stayed " + now.value(gauge) + ", expected " + expected);
      }
      Thread.sleep(50);
      now = scrape(relay);
    }
  }

  /** Scrapes until the sum of the samples {@code name} grew by {@code expected} since {@code before}. */
  private static Scrape awaitDelta(TestRelay relay, Scrape before, String name, double expected) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    Scrape now = scrape(relay);
    while (delta(before, now, name) < expected) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(name + " grew by " + delta(before, now, name) + ", expected " + expected);
      }
      Thread.sleep(50);
      now = scrape(relay);
    }
    assertEquals(expected, delta(before, now, name), name);
    return now;
  }

  private static WebSocket provisioningSocket(TestRelay relay, BlockingQueue<JsonObject> frames) throws Exception {
    return TestWebSockets.provisioning(relay.vertx, relay.url(), frames);
  }

  private static JsonObject next(BlockingQueue<JsonObject> frames, String type) throws InterruptedException {
    JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
    if (frame == null || !type.equals(frame.getString("type"))) {
      throw new AssertionError("expected a " + type + " frame, got " + frame);
    }
    return frame;
  }

  /** A companion's pairing request: a code hello of the right shape (the relay does not open it). */
  private static JsonObject pair(String number) {
    byte[] hello = TestDevice.randomBytes(130);
    hello[0] = 1;
    hello[1] = 0x20;
    return new JsonObject().put("type", "pair").put("number", number).put("hello", b64(hello));
  }
}
