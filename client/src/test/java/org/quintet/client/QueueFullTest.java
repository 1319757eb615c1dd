package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A send the relay refuses because a device it is for has a full queue (a relay whose quota is two
 * envelopes): the client says so with a {@link QueueFullException} that names the device and the
 * limit, and whether the device is one of the sender's own.
 */
class QueueFullTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;

  private static QueueFullException refused(QuintetClient client, String to, String text) {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> client.sendText(to, text)
        .toCompletionStage().toCompletableFuture().get());
    return assertInstanceOf(QueueFullException.class, failed.getCause());
  }

  @Test
  void aSendToAFullQueueIsAQueueFullExceptionNamingWhoseDevice() throws Exception {
    InProcessRelay relay = InProcessRelay.start(dir.resolve("relay"),
        new JsonObject().put("limits", new JsonObject().put("maxQueuedEnvelopesPerDevice", 2)));
    try (TestDevices devices = new TestDevices(relay, dir)) {
      QuintetClient alice = devices.registerPrimary(ALICE, "alice-phone");
      QuintetClient aliceLaptop = devices.linkCompanion(alice, ALICE, "alice-laptop");
      QuintetClient bob = devices.registerPrimary(BOB, "bob-phone");
      await(bob.sendText(ALICE, "hello"));
      await(bob.sendText(ALICE, "are you there?"));

      // Alice's phone and laptop each hold two of Bob's messages: his third is refused.
      QueueFullException full = refused(bob, ALICE, "one too many");
      assertEquals(507, full.status());
      assertEquals("QUEUE_FULL", full.code());
      assertEquals(List.of(new QueueFullException.FullQueue(ALICE, 1, QueueFullException.Limit.ENVELOPES, 2),
          new QueueFullException.FullQueue(ALICE, 2, QueueFullException.Limit.ENVELOPES, 2)), full.queues());
      assertFalse(full.isOwnDevice(full.queues().get(0)), "to Bob, Alice's devices are not his own");

      // Nobody has taken anything yet: Alice's own laptop's full queue refuses her send to Bob.
      QueueFullException own = refused(alice, BOB, "hi");
      assertEquals(List.of(new QueueFullException.FullQueue(ALICE, 2, QueueFullException.Limit.ENVELOPES, 2)),
          own.queues());
      assertTrue(own.isOwnDevice(own.queues().get(0)), "the laptop is Alice's own device");

      // Everyone takes what waits for them (the laptop its messages, Bob the receipts that come of
      // that): the same text then goes through.
      ListenerQueues laptop = TestDevices.receive(aliceLaptop);
      laptop.nextMessage();
      laptop.nextMessage();
      TestDevices.receive(bob);
      long deadline = System.currentTimeMillis() + 10_000;
      while (true) {
        try {
          await(alice.sendText(BOB, "hi"));
          break;
        } catch (ExecutionException e) {
          assertInstanceOf(QueueFullException.class, e.getCause());
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
    }
  }
}
