package org.quintet.relay.redis;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quintet.relay.storage.redis.RedisCluster;
import org.quintet.relay.storage.redis.RedisServer;

/** What the start-up check makes of a real Redis's persistence settings, when a durable one is required. */
class RedisPersistenceTest {
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRedisThatSyncsEveryWritePasses() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      check(RedisLink.standalone(vertx, redis.url()));
    }
  }

  @Test
  void aRedisThatSyncsEverySecondIsRefusedWithTheReason() throws Exception {
    try (RedisServer redis = RedisServer.start("--appendfsync", "everysec")) {
      String why = refusal(RedisLink.standalone(vertx, redis.url()));
      assertTrue(why.contains("appendfsync is everysec"), why);
    }
  }

  @Test
  void aRedisWithoutAnAppendOnlyFileIsRefusedWithTheReason() throws Exception {
    try (RedisServer redis = RedisServer.start("--appendonly", "no")) {
      String why = refusal(RedisLink.standalone(vertx, redis.url()));
      assertTrue(why.contains("appendonly is no"), why);
    }
  }

  @Test
  void aRedisThatRefusesConfigCannotBeCheckedAndIsLetThrough() throws Exception {
    try (RedisServer redis = RedisServer.start("--appendfsync", "everysec", "--rename-command", "CONFIG", "")) {
      check(RedisLink.standalone(vertx, redis.url()));
    }
  }

  @Test
  void oneMasterOfAClusterThatSyncsEverySecondIsEnoughToRefuse() throws Exception {
    try (RedisCluster cluster = RedisCluster.start()) {
      check(RedisLink.cluster(vertx, cluster.urls()));

      cluster.cli("CONFIG", "SET", "appendfsync", "everysec");

      String why = refusal(RedisLink.cluster(vertx, cluster.urls()));
      assertTrue(why.contains("appendfsync is everysec"), why);
    }
  }

  /** A node does not start without having looked, as it does not start without checking its relay key. */
  @Test
  void anUnreachableRedisFailsTheCheckEvenWhenADurableOneIsNotRequired() throws Exception {
    RedisServer redis = RedisServer.start();
    redis.close();
    RedisLink link = RedisLink.standalone(vertx, redis.url());

    assertNotNull(failure(RedisPersistence.check(link, false)));
    link.close();
  }

  private static void check(RedisLink link) throws Exception {
    try {
      RedisPersistence.check(link, true).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      link.close();
    }
  }

  private static String refusal(RedisLink link) throws Exception {
    try {
      return assertInstanceOf(IllegalStateException.class, failure(RedisPersistence.check(link, true))).getMessage();
    } finally {
      link.close();
    }
  }

  private static Throwable failure(Future<Void> check) throws Exception {
    try {
      check.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the check passed");
  }
}
