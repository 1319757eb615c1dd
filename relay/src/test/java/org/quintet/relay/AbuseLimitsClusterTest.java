package org.quintet.relay;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * The abuse limits on two nodes over one Redis: the tests send requests to the nodes in turn, so
 * each limit holds only because the nodes share their buckets.
 */
class AbuseLimitsClusterTest extends AbuseLimitsTest {
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
  void startNodes(JsonObject config) throws Exception {
    redis.cli("FLUSHALL");
    JsonObject cluster = config.copy().put("redis", new JsonObject().put("url", redis.url()))
        .put("relayKeyFile", data.resolve("relay.key").toString());
    for (int i = 0; i < 2; i++) {
      nodes.add(TestRelay.start(data.resolve("node" + i), cluster));
    }
  }
}
