package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quintet.relay.TestDevice.expect;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quintet.relay.storage.redis.RedisCluster;

/** The routing suite over a Redis Cluster of three masters: sharded channels and scripts per slot. */
class RedisClusterRoutingTest extends RoutingAcrossNodesTest {
  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  /**
   * A resharding moves the slot of Bob's account, keys and channel: Redis unsubscribes the node
   * from the channel, the node subscribes again where the slot now is, and delivery goes on well
   * before the periodic re-check would have found the queue.
   */
  @Test
  void deliveryGoesOnWhenTheAccountsSlotMovesToAnotherMaster() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    TestDevice bob = primaryOn(1, BOB);
    try (TestDevice.Delivery inbox = bob.connect()) {
      inbox.event("queue-empty");
      expect(alice.send("before the move", bob), 200);
      assertEquals("before the move", bob.decrypt(inbox.receive(1).get(0).envelope()));

      cluster.moveSlotOf("q:{" + BOB + "}:bell");
      expect(alice.send("after the move", bob), 200);
      TestDevice.Delivered after = inbox.nextEnvelope(RelayLimits.CONNECTION_RECHECK_INTERVAL.toMillis() / 3)
          .orElseThrow(() -> new AssertionError("nothing arrived after the slot moved"));
      assertEquals("after the move", bob.decrypt(after.envelope()));
    }
  }

  @Override
  void flushRedis() throws Exception {
    cluster.flush();
  }

  @Override
  JsonObject redisSettings() {
    return new JsonObject().put("clusterNodes", new JsonArray(cluster.urls()));
  }
}
