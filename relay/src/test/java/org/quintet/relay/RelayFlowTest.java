package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.Session;
import org.quintet.protocol.X3dh;
import org.quintet.relay.storage.redis.RedisServer;

/** The relay's main path with real keys: register, fetch a bundle, send, deliver, acknowledge, receipt. */
class RelayFlowTest {
  @TempDir
  Path data;
  TestRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = TestRelay.start(data);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  @Test
  void aMessageIsDeliveredAcknowledgedAndReceipted() throws Exception {
    flow(relay);
  }

  /** The same path with Redis as the storage, chosen by configuration as {@code serve --redis} does. */
  @Test
  void theSameFlowWorksOverRedis(@TempDir Path redisData) throws Exception {
    try (RedisServer redis = RedisServer.start();
        TestRelay overRedis = TestRelay.start(redisData, new JsonObject().put("redis",
            new JsonObject().put("url", redis.url())))) {
      flow(overRedis);
    }
  }

  private static void flow(TestRelay relay) throws Exception {
    TestDevice alice = new TestDevice(relay, "+8801711000001").registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, "+8801811000002").registerAsPrimary(relay);

    JsonObject keys = TestDevice.expect(alice.get("/v1/keys/%2B8801811000002", true), 200);
    JsonObject entry = keys.getJsonArray("devices").getJsonObject(0);
    PreKeyBundle bundle = PreKeyBundle.parse(Base64.getDecoder().decode(entry.getString("bundle")));
    Session session = X3dh.initiate(KeySource.secure(), alice.identity, bundle);
    byte[] content = session.encrypt("hello bob".getBytes(StandardCharsets.UTF_8));
    byte[] messageId = new byte[16];
    messageId[0] = 7;
    JsonObject send = new JsonObject().put("messageId", TestDevice.b64(messageId)).put("timestamp", 1234)
        .put("recipients", new JsonArray().add(new JsonObject().put("number", bob.number).put("messages",
            new JsonArray().add(new JsonObject().put("deviceId", 1).put("registrationId", entry.getInteger("registrationId"))
                .put("kind", 1).put("content", TestDevice.b64(content))))));
    TestDevice.expect(alice.post("/v1/messages", send, true), 200);

    try (TestDevice.Delivery bobInbox = bob.connect(); TestDevice.Delivery aliceInbox = alice.connect()) {
      TestDevice.Delivered delivered = bobInbox.nextEnvelope(5000).orElseThrow();
      Envelope envelope = delivered.envelope();
      assertEquals(alice.number, envelope.source());
      assertEquals(1, envelope.sourceDevice());
      assertArrayEquals(messageId, envelope.messageId());
      X3dh.Accepted accepted = X3dh.accept(KeySource.secure(), bob.identity, bob.preKeyStore, envelope.content());
      assertEquals("hello bob", new String(accepted.plaintext(), StandardCharsets.UTF_8));
      bobInbox.ack(delivered.seq());

      Envelope receipt = aliceInbox.nextEnvelope(5000).orElseThrow().envelope();
      assertEquals(Envelope.KIND_DELIVERY_RECEIPT, receipt.kind());
      assertArrayEquals(messageId, receipt.messageId());
      assertEquals(bob.number, receipt.source());
    }
    try (TestDevice.Delivery again = bob.connect()) {
      assertTrue(again.nextEvent("queue-empty", 5000).isPresent());
      again.expectSentinelNext(alice, "an acknowledged envelope is not sent again");
    }
  }
}
