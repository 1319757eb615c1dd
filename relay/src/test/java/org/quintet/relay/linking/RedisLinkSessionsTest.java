package org.quintet.relay.linking;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.storage.redis.RedisServer;

/** The contract on a real Redis; addresses expire in Redis's own time. */
class RedisLinkSessionsTest extends LinkSessionsContractTest {
  private static RedisServer server;
  private RedisLink link;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    server.close();
  }

  @Override
  LinkSessions openEmpty(Vertx vertx) throws Exception {
    server.cli("FLUSHALL");
    link = RedisLink.standalone(vertx, server.url());
    return new RedisLinkSessions(link);
  }

  @AfterEach
  void closeLink() throws Exception {
    await(link.close());
  }

  @Override
  void passTime(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }
}
