package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device that sends faster than the relay's send limit sits out a short wait by itself, and hears of a long one. */
class RateLimitWaitTest {
  private static final String ALICE = "+8801711000401";
  private static final String BOB = "+8801811000402";

  @TempDir
  Path dir;
  final Vertx vertx = Vertx.vertx();
  final List<QuintetClient> clients = new ArrayList<>();
  InProcessRelay relay;

  @AfterEach
  void stop() throws Exception {
    for (QuintetClient client : clients) {
      client.close();
    }
    if (relay != null) {
      relay.close();
    }
    await(vertx.close());
  }

  private QuintetClient primary(String number, String name) throws Exception {
    QuintetClient client = QuintetClient.open(vertx, dir.resolve(name), relay.url());
    clients.add(client);
    await(client.register(number));
    await(client.verify(relay.codeFor(number), name, "test"));
    return client;
  }

  private static JsonObject sendLimit(int bucketSize, int refillSeconds) {
    return new JsonObject().put("rateLimits", new JsonObject().put("sendsPerDevice",
        new JsonObject().put("bucketSize", bucketSize).put("refillSeconds", refillSeconds)));
  }

  @Test
  void sendsPastAShortLimitWaitAndAllArriveInOrder() throws Exception {
    relay = InProcessRelay.start(dir.resolve("relay"), sendLimit(2, 2));
    QuintetClient alice = primary(ALICE, "alice");
    QuintetClient bob = primary(BOB, "bob");
    ListenerQueues bobInbox = new ListenerQueues();
    await(bob.receive(bobInbox));
    for (int i = 0; i < 5; i++) {
      await(alice.sendText(BOB, "burst " + i));
    }
    for (int i = 0; i < 5; i++) {
      assertEquals("burst " + i, bobInbox.nextMessage().body());
    }
  }

  @Test
  void aLongWaitIsTheUsersToHear() throws Exception {
    relay = InProcessRelay.start(dir.resolve("relay"), sendLimit(1, 3600));
    QuintetClient alice = primary(ALICE, "alice");
    primary(BOB, "bob");
    await(alice.sendText(BOB, "the one allowed"));
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> alice.sendText(BOB, "one too many").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    RelayException limited = assertInstanceOf(RelayException.class, refused.getCause());
    assertTrue(limited.is(429, "RATE_LIMITED"), limited.getMessage());
    assertTrue(limited.details().getLong("retryAfterSeconds") > RelayApi.LONGEST_WAIT.toSeconds());
  }
}
