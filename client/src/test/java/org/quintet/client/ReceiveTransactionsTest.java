package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A received message costs the receiving device one transaction: its session step, its id and its
 * text go in together. Counted in the database's own write-ahead log while the client runs.
 */
class ReceiveTransactionsTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";
  private static final int TEXTS = 20;

  @TempDir
  Path dir;

  @Test
  void eachReceivedTextIsOneTransaction() throws Exception {
    try (TestDevices devices = new TestDevices(InProcessRelay.start(dir.resolve("relay")), dir)) {
      QuintetClient alice = devices.registerPrimary(ALICE, "alice");
      QuintetClient bob = devices.registerPrimary(BOB, "bob");
      // The first text sets up what later ones reuse: a session, and Alice's device list on Bob's side.
      await(alice.sendText(BOB, "first"));
      ListenerQueues bobs = TestDevices.receive(bob);
      assertEquals("first", bobs.nextMessage().body());
      Path wal = dir.resolve("bob").resolve(LocalStore.STORE_FILE + "-wal");
      int before = WalCommits.count(wal);
      assertTrue(before > 0, "the log holds the writes so far");

      for (int i = 0; i < TEXTS; i++) {
        await(alice.sendText(BOB, "text " + i));
      }
      for (int i = 0; i < TEXTS; i++) {
        assertEquals("text " + i, bobs.nextMessage().body());
      }
      await(bob.stopReceiving());

      assertEquals(TEXTS, WalCommits.count(wal) - before);
      assertTrue(bobs.trouble.isEmpty(), bobs.trouble.toString());
    }
  }
}
