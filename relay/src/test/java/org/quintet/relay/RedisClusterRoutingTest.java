package org.quintet.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

  @Override
  void flushRedis() throws Exception {
    cluster.flush();
  }

  @Override
  JsonObject redisSettings() {
    return new JsonObject().put("clusterNodes", new JsonArray(cluster.urls()));
  }
}
