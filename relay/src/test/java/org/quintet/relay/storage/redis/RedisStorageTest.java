package org.quintet.relay.storage.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StorageContractTest;

/** The contract on a standalone Redis: one server for the class, emptied before each test. */
class RedisStorageTest extends StorageContractTest {
  private static RedisServer server;

  @BeforeAll
  static void startRedis() throws IOException, InterruptedException {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws InterruptedException {
    server.close();
  }

  @Override
  protected Future<? extends RelayStorage> openEmpty(Vertx vertx) {
    try {
      server.cli("FLUSHALL");
    } catch (IOException | InterruptedException e) {
      return Future.failedFuture(e);
    }
    return Future.succeededFuture(RedisStorage.standalone(vertx, server.url()));
  }

  /** One script per number: the numbers of a batch are in different slots of a Redis Cluster. */
  @Override
  protected BatchAtomicity enqueueAtomicity() {
    return BatchAtomicity.EACH_NUMBER;
  }

  /** The number's seq counter holds a word, so the INCR of its enqueue script fails. */
  @Override
  protected void breakEnqueuesFor(String number) throws IOException, InterruptedException {
    server.cli("SET", Keys.seq(number), "not a counter");
  }

  @Override
  protected void mendEnqueues(String number) throws IOException, InterruptedException {
    server.cli("DEL", Keys.seq(number));
  }
}
