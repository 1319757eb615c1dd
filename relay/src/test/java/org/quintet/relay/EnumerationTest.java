package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.DeviceCert;

/**
 * Every route that answers without a token, asked the same thing about a registered number and
 * about a number without an account: the answers are the same, status and body, so none of them
 * tells a stranger which numbers are registered.
 */
class EnumerationTest {
  private static final String ALICE = "+15550600001";
  /** Has no account. */
  private static final String DAVE = "+15550600004";

  @TempDir
  Path data;
  TestRelay relay;
  TestDevice alice;
  /** A device of nobody's, asking about both numbers. */
  TestDevice stranger;

  @BeforeEach
  void start() throws Exception {
    relay = TestRelay.start(data);
    alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    alice.linkCompanion(2);
    stranger = new TestDevice(relay, DAVE);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  /** Status and body; a body that is not JSON is kept as text. */
  private static String answer(HttpResponse<Buffer> response) {
    return response.statusCode() + " " + response.bodyAsString();
  }

  private void sameAnswer(String what, JsonObject forAlice, JsonObject forDave, String path) throws Exception {
    String registered = answer(stranger.post(path, forAlice, false));
    String unregistered = answer(stranger.post(path, forDave, false));
    assertEquals(registered, unregistered, what);
  }

  @Test
  void noUnauthenticatedRouteTellsARegisteredNumberFromAnother() throws Exception {
    // Registration: asking for a code, and verifying without one pending.
    sameAnswer("a code request", new JsonObject().put("number", ALICE), new JsonObject().put("number", DAVE),
        "/v1/registration/code");
    relay.clock.advance(java.time.Duration.ofMinutes(11));
    sameAnswer("a verify with no code pending", stranger.verifyRequest("123456").put("number", ALICE),
        stranger.verifyRequest("123456").put("number", DAVE), "/v1/registration/verify");

    // Log-in: a stranger's signature for device 1 and device 2 of each number.
    for (long deviceId : new long[] {1, 2, 3}) {
      stranger.deviceId = deviceId;
      JsonObject forDave = stranger.loginRequest();
      JsonObject forAlice = stranger.loginRequest().put("number", ALICE);
      sameAnswer("a log-in as device " + deviceId, forAlice, forDave, "/v1/auth/token");
    }

    // Linking a companion with a certificate the stranger made, for the next device id and others.
    TestDevice companion = stranger.newCompanion();
    for (long deviceId : new long[] {2, 3, 4}) {
      DeviceCert cert = stranger.certify(companion, deviceId);
      sameAnswer("a link as device " + deviceId, companion.linkRequest(cert).put("number", ALICE),
          companion.linkRequest(cert).put("number", DAVE), "/v1/devices/link");
    }

    // A pairing request on the provisioning socket: the same frames, but for the pairing's id.
    assertEquals(pairingFrame(ALICE), pairingFrame(DAVE));
  }

  /** The relay's answer to a code-pairing request for {@code number}, without its random id. */
  private JsonObject pairingFrame(String number) throws Exception {
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket socket = TestWebSockets.provisioning(relay.vertx, relay.url(), frames);
    try {
      assertEquals("address", frames.poll(10, TimeUnit.SECONDS).getString("type"));
      byte[] hello = TestDevice.randomBytes(130);
      hello[0] = 1;
      hello[1] = 0x20;
      socket.writeTextMessage(new JsonObject().put("type", "pair").put("number", number).put("hello", b64(hello))
          .encode());
      JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no answer to the pairing request for " + number);
      }
      frame.remove("pairingId");
      return frame;
    } finally {
      TestRelay.await(socket.close());
    }
  }

  @Test
  void theAccountsOwnDevicesStillLogIn() throws Exception {
    alice.login();
    expect(alice.get("/v1/keys/count"), 200);
  }
}
