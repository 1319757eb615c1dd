package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.relay.storage.PendingVerification;
import org.quintet.relay.verification.WebhookCodeSender;

/**
 * The operator's SMS gateway fails (a real HTTP server that answers 500, then hangs up): the
 * relay answers 503 VERIFICATION_UNAVAILABLE, and the code that was not sent counts for nothing,
 * so the user can ask again at once and an earlier code stays as it was.
 */
class SmsGatewayFailureTest {
  private static final String ALICE = "+15550700001";

  @TempDir
  Path data;
  Vertx gatewayVertx;
  HttpServer gateway;
  /** What the gateway answers next: 200, 500, or 0 to close the connection without an answer. */
  final AtomicInteger answer = new AtomicInteger(200);
  final Map<String, String> delivered = new ConcurrentHashMap<>();
  TestRelay relay;

  @BeforeEach
  void start() throws Exception {
    gatewayVertx = Vertx.vertx();
    gateway = await(gatewayVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      int status = answer.get();
      if (status == 0) {
        request.connection().close();
        return;
      }
      if (status == 200) {
        JsonObject sms = body.toJsonObject();
        delivered.put(sms.getString("number"), sms.getString("code"));
      }
      request.response().setStatusCode(status).end();
    })).listen(0, "127.0.0.1"));
    String url = "http://127.0.0.1:" + gateway.actualPort() + "/sms";
    relay = TestRelay.start(data, new JsonObject(), vertx -> new WebhookCodeSender(WebClient.create(vertx), url));
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    await(gatewayVertx.close());
  }

  private io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> requestCode(TestDevice device)
      throws Exception {
    return device.post("/v1/registration/code", new JsonObject().put("number", device.number), false);
  }

  @Test
  void aFailedSendIsA503ThatCountsForNothing() throws Exception {
    TestDevice alice = new TestDevice(relay, ALICE);
    for (int status : new int[] {500, 0}) {
      answer.set(status);
      JsonObject refused = expectError(requestCode(alice), 503, "VERIFICATION_UNAVAILABLE");
      assertFalse(refused.containsKey("retryAfterSeconds"), refused.encode());
      assertTrue(await(relay.storage.pendingVerification(ALICE)).isEmpty(), "no code is pending");
    }
    assertTrue(delivered.isEmpty());

    // The gateway is back: the user asks again at once, and the code works.
    answer.set(200);
    expect(requestCode(alice), 200);
    String code = delivered.get(ALICE);
    expect(alice.post("/v1/registration/verify", alice.verifyRequest(code), false), 200);
  }

  @Test
  void aFailedResendKeepsTheEarlierCodeAsItWas() throws Exception {
    TestDevice alice = new TestDevice(relay, ALICE);
    expect(requestCode(alice), 200);
    String first = delivered.get(ALICE);
    String wrong = first.equals("000000") ? "000001" : "000000";
    expectError(alice.post("/v1/registration/verify", alice.verifyRequest(wrong), false), 403, "WRONG_CODE");
    PendingVerification before = await(relay.storage.pendingVerification(ALICE)).orElseThrow();

    relay.clock.advance(java.time.Duration.ofSeconds(31));
    answer.set(500);
    expectError(requestCode(alice), 503, "VERIFICATION_UNAVAILABLE");

    PendingVerification after = await(relay.storage.pendingVerification(ALICE)).orElseThrow();
    assertEquals(TestDevice.b64(before.codeHash()), TestDevice.b64(after.codeHash()), "the earlier code is pending");
    assertEquals(before.lastSentAt(), after.lastSentAt(), "the failed send is not a send");
    assertEquals(1, after.failedAttempts(), "the wrong attempt still counts");
    expect(alice.post("/v1/registration/verify", alice.verifyRequest(first), false), 200);
  }
}
