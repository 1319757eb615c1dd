package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.MessageType;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.Session;
import org.quintet.protocol.SignedPreKey;
import org.quintet.protocol.X3dh;
import org.quintet.relay.auth.Challenges;

/**
 * An online envelope (docs/relay-api.md, "Sending") on a receiving Java client: opened and taken in
 * like any other and shown to the listener, but never acknowledged, while the queued envelopes
 * after it are acknowledged as ever. The sender speaks the relay API with the protocol alone, as
 * the client itself sends nothing online.
 */
class OnlineEnvelopeTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;

  @Test
  void anOnlineTextIsShownAndNotAcknowledgedAndTheQueueGoesOnAsEver() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestDevices devices = new TestDevices(InProcessRelay.start(dir.resolve("relay")), dir)) {
      QuintetClient bob = devices.registerPrimary(BOB, "bob");
      ListenerQueues bobs = TestDevices.receive(bob);
      ProtocolSender alice = ProtocolSender.register(WebClient.create(vertx), devices.relay, ALICE);

      JsonObject answer = alice.send(BOB, new Text("typing", 1_700_000_000_000L, null), true);
      assertEquals(new JsonArray().add(new JsonObject().put("number", BOB).put("deviceId", 1)),
          answer.getJsonArray("connected"), "Bob's client was connected");
      IncomingMessage typing = bobs.nextMessage();
      assertEquals("typing", typing.body());
      assertEquals(ALICE, typing.from());
      assertEquals(ALICE, typing.peer());

      alice.send(BOB, new Text("queued after it", 1_700_000_001_000L, null), false);
      assertEquals("queued after it", bobs.nextMessage().body());
      long deadline = System.currentTimeMillis() + 10_000;
      while (await(devices.relay.storage.queueSize(BOB, 1)) > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0L, await(devices.relay.storage.queueSize(BOB, 1)), "the queued envelope was acknowledged");
      // An acknowledgement of the online envelope would have come back refused, before the queued one.
      assertTrue(bobs.trouble.isEmpty(), bobs.trouble.toString());
    } finally {
      await(vertx.close());
    }
  }

  /** A primary made of protocol objects and HTTP requests: it registers, logs in and sends texts. */
  private static final class ProtocolSender {
    private final WebClient http;
    private final String url;
    private final IdentityKeyPair identity;
    private final String token;
    /** By number: the session with its device 1, and that device's registration id. */
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, Integer> registrationIds = new HashMap<>();

    private ProtocolSender(WebClient http, String url, IdentityKeyPair identity, String token) {
      this.http = http;
      this.url = url;
      this.identity = identity;
      this.token = token;
    }

    static ProtocolSender register(WebClient http, InProcessRelay relay, String number) throws Exception {
      IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
      SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), identity, 1);
      DeviceCert own = DeviceCert.issue(identity, 1, identity.publicKey(), System.currentTimeMillis())
          .counterSign(identity);
      String url = relay.url();
      ok(await(http.postAbs(url + "/v1/registration/code").sendJsonObject(new JsonObject().put("number", number))));
      ok(await(http.postAbs(url + "/v1/registration/verify").sendJsonObject(new JsonObject().put("number", number)
          .put("code", relay.codeFor(number)).put("registrationId", 4242)
          .put("identityKey", b64(identity.publicKey().encode())).put("signedPreKey", b64(signed.record().encode()))
          .put("oneTimePreKeys", new JsonArray())
          .put("deviceList", b64(DeviceList.sign(identity, 1, System.currentTimeMillis(), List.of(own))))
          .put("name", "protocol device").put("platform", "test"))));
      byte[] challenge = Base64.getDecoder().decode(
          ok(await(http.getAbs(url + "/v1/auth/challenge").send())).getString("challenge"));
      String token = ok(await(http.postAbs(url + "/v1/auth/token").sendJsonObject(new JsonObject()
          .put("number", number).put("deviceId", 1).put("challenge", b64(challenge))
          .put("signature", b64(identity.sign(Challenges.signedBytes(challenge, number, 1)))))))
          .getString("token");
      return new ProtocolSender(http, url, identity, token);
    }

    /** Sends {@code text} to device 1 of {@code to}, the only device there; returns the relay's answer. */
    JsonObject send(String to, Text text, boolean online) throws Exception {
      if (!sessions.containsKey(to)) {
        JsonObject device = ok(await(http.getAbs(url + "/v1/keys/" + to.replace("+", "%2B") + "/1")
            .bearerTokenAuthentication(token).send())).getJsonArray("devices").getJsonObject(0);
        sessions.put(to, X3dh.initiate(KeySource.secure(), identity,
            PreKeyBundle.parse(Base64.getDecoder().decode(device.getString("bundle")))));
        registrationIds.put(to, device.getInteger("registrationId"));
      }
      Session session = sessions.get(to);
      byte[] content = session.encrypt(text.encode());
      int kind = MessageType.ofSessionMessage(content) == MessageType.PREKEY
          ? Envelope.KIND_PREKEY_MESSAGE : Envelope.KIND_RATCHET_MESSAGE;
      byte[] messageId = new byte[Envelope.MESSAGE_ID_LENGTH];
      new SecureRandom().nextBytes(messageId);
      JsonObject request = new JsonObject().put("messageId", b64(messageId)).put("timestamp", text.timestamp())
          .put("recipients", new JsonArray().add(new JsonObject().put("number", to).put("messages",
              new JsonArray().add(new JsonObject().put("deviceId", 1)
                  .put("registrationId", registrationIds.get(to)).put("kind", kind)
                  .put("content", b64(content))))));
      if (online) {
        request.put("online", true);
      }
      return ok(await(http.postAbs(url + "/v1/messages").bearerTokenAuthentication(token).sendJsonObject(request)));
    }

    private static JsonObject ok(HttpResponse<Buffer> response) {
      if (response.statusCode() != 200) {
        throw new AssertionError(response.statusCode() + " " + response.bodyAsString());
      }
      return response.bodyAsJsonObject();
    }

    private static String b64(byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
  }
}
