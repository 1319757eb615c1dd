package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * The routing suite over one standalone Redis, and Redis's process killed and started again under
 * three running nodes.
 */
class ClusterTest extends RoutingAcrossNodesTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Override
  void flushRedis() throws Exception {
    redis.cli("FLUSHALL");
  }

  @Override
  JsonObject redisSettings() {
    return new JsonObject().put("url", redis.url());
  }

  @Test
  void nodesRideOutAKillOfTheRedisProcessAndLoseNothingAcknowledged() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    TestDevice bob = primaryOn(1, BOB);
    WebClient web = WebClient.create(node(0).vertx);
    byte[] unacknowledged;
    try (TestDevice.Delivery bobInbox = bob.connect()) {
      bobInbox.event("queue-empty");
      expect(alice.send("before", bob), 200);
      TestDevice.Delivered before = bobInbox.envelope();
      assertEquals("before", bob.decrypt(before.envelope()));
      unacknowledged = before.envelope().messageId();

      redis.killProcess();
      for (TestRelay node : nodes) {
        assertTrue(waitUntil(() -> health(web, node) == 503), "a node says it is not ready while Redis is down");
      }
      assertEquals(500, alice.send("while down", bob).statusCode(), "nothing is acknowledged while Redis is down");

      redis.restart();
      for (TestRelay node : nodes) {
        assertTrue(waitUntil(() -> health(web, node) == 200), "a node is ready again without a restart");
      }
      expect(alice.send("after", bob), 200);
      // The unacknowledged envelope from before the kill was kept (a killed process's writes are in
      // the page cache, whatever appendfsync says) and comes again on this connection's next look
      // at its queue, or on a new connection.
      List<String> seen = new ArrayList<>();
      for (TestDevice.Delivered delivered : bobInbox.drain(3000)) {
        seen.add(bob.decrypt(delivered.envelope()));
      }
      assertTrue(seen.contains("after"), "a message sent after the restart arrives on the open connection: " + seen);
    }
    try (TestDevice.Delivery again = bob.attach(node(2)).connect()) {
      Set<String> queued = new HashSet<>();
      for (TestDevice.Delivered delivered : again.receiveUntilQueueEmpty(10_000)) {
        queued.add(TestDevice.b64(delivered.envelope().messageId()));
      }
      assertTrue(queued.contains(TestDevice.b64(unacknowledged)),
          "the unacknowledged envelope survived the kill of the Redis process");
    }
  }

  @Test
  void oneNodeOfTheClusterTakesEachTurnOfTheHourlyHousekeeping() throws Exception {
    long period = 60_000;
    List<Boolean> turns = new ArrayList<>();
    for (TestRelay node : nodes) {
      turns.add(TestRelay.await(node.backend.takeTurn("housekeeping", period)));
    }
    assertEquals(List.of(true, false, false), turns, "the first node to ask takes the turn");
    redis.cli("PEXPIRE", "q:turn:housekeeping", "1");
    assertTrue(waitUntil(() -> TestRelay.await(node(2).backend.takeTurn("housekeeping", period))),
        "the next period's turn goes to whoever asks first");
  }

  private static int health(WebClient web, TestRelay node) throws Exception {
    return TestRelay.await(web.getAbs(node.url() + "/healthz").send()).statusCode();
  }
}
