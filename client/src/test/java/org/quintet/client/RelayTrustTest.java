package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay with a certificate of its own making, over real HTTPS and WSS: refused until its owner
 * pins it, then trusted (by its pin alone), remembered by the home, and refused again when the
 * home goes back to the system's authorities.
 */
class RelayTrustTest {
  private static final String ALICE = "+8801711000201";
  private static final String BOB = "+8801811000202";

  @TempDir
  Path dir;
  final Vertx vertx = Vertx.vertx();
  final List<QuintetClient> clients = new ArrayList<>();
  InProcessRelay relay;

  @BeforeEach
  void start() throws Exception {
    // Not localhost and not the default address: the certificate names this one too.
    relay = InProcessRelay.https(dir.resolve("relay"), "127.0.0.2");
  }

  @AfterEach
  void stop() throws Exception {
    for (QuintetClient client : clients) {
      client.close();
    }
    relay.close();
    await(vertx.close());
  }

  private QuintetClient open(String name, List<String> pins) throws Exception {
    QuintetClient client = QuintetClient.open(vertx, dir.resolve(name), relay.url(), pins);
    clients.add(client);
    return client;
  }

  private void close(QuintetClient client) throws Exception {
    client.close();
    clients.remove(client);
  }

  private static Throwable failure(Future<?> future) {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    return failed.getCause();
  }

  @Test
  void anUnpinnedSelfSignedRelayIsRefusedWithWhatToCompareAndPin() throws Exception {
    assertTrue(relay.url().startsWith("https://127.0.0.2:"), relay.url());
    QuintetClient phone = open("alice", null);
    RelayCertificateException refused = assertInstanceOf(RelayCertificateException.class,
        failure(phone.register(ALICE)));
    assertEquals(relay.publicKeyPin(), refused.publicKeyPin());
    assertEquals(relay.fingerprint(), refused.fingerprint());
    assertFalse(refused.pinned());
    assertTrue(refused.getMessage().contains(relay.fingerprint()), refused.getMessage());
    assertEquals(List.of(), phone.store().relayPins(), "nothing is trusted without the owner's word");

    close(phone);
    String otherKey = "sha256/" + Base64.getEncoder().encodeToString(new byte[32]);
    QuintetClient wrong = open("alice", List.of(otherKey));
    RelayCertificateException mismatch = assertInstanceOf(RelayCertificateException.class,
        failure(wrong.register(ALICE)));
    assertTrue(mismatch.pinned());
    assertTrue(mismatch.getMessage().contains("matches none of the pins"), mismatch.getMessage());
  }

  @Test
  void aPinnedRelayCarriesRegistrationMessagesAndTheDeliverySocketAndTheHomeRemembersThePin() throws Exception {
    // One pins the key, the other the certificate's fingerprint, as the relay printed them.
    QuintetClient alice = open("alice", List.of(relay.publicKeyPin()));
    QuintetClient bob = open("bob", List.of(relay.fingerprint().toLowerCase()));
    await(alice.register(ALICE));
    await(alice.verify(relay.codeFor(ALICE), "alice-phone", "test"));
    await(bob.register(BOB));
    await(bob.verify(relay.codeFor(BOB), "bob-phone", "test"));
    ListenerQueues bobInbox = new ListenerQueues();
    await(bob.receive(bobInbox));
    await(alice.sendText(BOB, "over wss"));
    assertEquals("over wss", bobInbox.nextMessage().body());

    // Opened again with no pin given: the home trusts what its owner accepted.
    close(alice);
    QuintetClient again = open("alice", null);
    assertEquals(List.of(relay.publicKeyPin()), again.store().relayPins());
    assertEquals(List.of(1L), await(again.devices()).stream().map(DeviceInfo::deviceId).toList());
    await(again.sendText(BOB, "remembered"));
    assertEquals("remembered", bobInbox.nextMessage().body());

    // Back to the system's authorities, which never signed this certificate.
    close(again);
    QuintetClient system = open("alice", List.of());
    assertEquals(List.of(), system.store().relayPins());
    assertInstanceOf(RelayCertificateException.class, failure(system.devices()));
    assertTrue(bobInbox.trouble.isEmpty(), bobInbox.trouble.toString());
  }
}
