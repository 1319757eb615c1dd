package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * A relay node started as an operator starts it, over a Redis that syncs its append-only file only
 * every second: it warns and serves, or, with redis.requireDurable, refuses to start.
 */
class RedisPersistenceCheckTest {
  private static final String WARNING = "Redis can lose acknowledged messages in a crash of its machine: "
      + "appendfsync is everysec";

  @TempDir
  Path data;
  RedisServer redis;
  RelayProcess node;
  Vertx clientVertx;

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisServer.start("--appendfsync", "everysec");
    clientVertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (node != null) {
        node.close();
      }
      redis.close();
    } finally {
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(120)
  void aNodeOverRedisThatSyncsEverySecondWarnsInItsLogAndServes() throws Exception {
    node = RelayProcess.start(data.resolve("node"), config(new JsonObject()), redis.url());

    node.awaitHealthy(clientVertx);

    assertTrue(node.output().contains(WARNING), node.output());
  }

  @Test
  @Timeout(120)
  void aNodeThatRequiresADurableRedisRefusesToStartOverOneThatSyncsEverySecond() throws Exception {
    node = RelayProcess.start(data.resolve("node"),
        config(new JsonObject().put("redis", new JsonObject().put("requireDurable", true))), redis.url());

    assertEquals(1, node.awaitExit());

    String output = node.output();
    assertTrue(output.contains("the relay could not start: " + WARNING), output);
    assertFalse(output.contains("relay listening"), output);
  }

  @Test
  @Timeout(120)
  void aNodeOverADurableRedisSaysSoWithoutAWarning() throws Exception {
    redis.cli("CONFIG", "SET", "appendfsync", "always");
    node = RelayProcess.start(data.resolve("node"),
        config(new JsonObject().put("redis", new JsonObject().put("requireDurable", true))), redis.url());

    node.awaitHealthy(clientVertx);

    assertTrue(node.output().contains("Redis syncs every write before it answers"), node.output());
    assertFalse(node.output().contains("can lose acknowledged messages"), node.output());
  }

  private Path config(JsonObject settings) throws Exception {
    Path file = data.resolve("quintet.json");
    Files.writeString(file, settings.put("verification", new JsonObject().put("sender", "log")).encode());
    return file;
  }
}
