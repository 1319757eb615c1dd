package org.quintet.relay.storage.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StorageContractTest;

/**
 * The contract on a Redis Cluster of three masters: every script stays in one slot, and the two
 * global keys and the numbers spread over the masters. One cluster for the class, emptied before
 * each test.
 */
class RedisClusterStorageTest extends StorageContractTest {
  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException, InterruptedException {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    cluster.close();
  }

  @Override
  protected Future<? extends RelayStorage> openEmpty(Vertx vertx) {
    try {
      cluster.flush();
    } catch (IOException | InterruptedException e) {
      return Future.failedFuture(e);
    }
    return Future.succeededFuture(RedisStorage.cluster(vertx, cluster.urls()));
  }

  @Override
  protected BatchAtomicity enqueueAtomicity() {
    return BatchAtomicity.EACH_NUMBER;
  }

  /** The number's seq counter holds a word, so the INCR of its enqueue script fails. */
  @Override
  protected void breakEnqueuesFor(String number) throws IOException, InterruptedException {
    cluster.cli("SET", Keys.seq(number), "not a counter");
  }

  @Override
  protected void mendEnqueues(String number) throws IOException, InterruptedException {
    cluster.cli("DEL", Keys.seq(number));
  }

  /** Without this, the suite could pass with every key of the tests on one master. */
  @Test
  void theTestNumbersLiveOnDifferentMasters() throws IOException, InterruptedException {
    registerAlice();
    register(BOB, bytes("bob account key"));
    await(storage.enqueue(List.of(queued(ALICE, 1, "to alice"), queued(BOB, 1, "to bob"))));

    assertTrue(cluster.mastersHoldingKeys() >= 2, "the keys spread over the masters");
  }
}
