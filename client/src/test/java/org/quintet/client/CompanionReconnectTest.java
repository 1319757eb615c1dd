package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A companion waiting to be linked while its relay restarts: its provisioning socket is lost, it
 * connects again by itself, shows a fresh QR code or code (what the old socket held died with it),
 * and links with that.
 */
class CompanionReconnectTest {
  private static final String ALICE = "+8801711000301";

  @TempDir
  Path dir;
  final Vertx vertx = Vertx.vertx();
  final List<QuintetClient> clients = new ArrayList<>();
  InProcessRelay relay;

  @BeforeEach
  void start() throws Exception {
    relay = InProcessRelay.start(dir.resolve("relay"));
  }

  @AfterEach
  void stop() throws Exception {
    for (QuintetClient client : clients) {
      client.close();
    }
    relay.close();
    await(vertx.close());
  }

  private QuintetClient device(String name) throws Exception {
    QuintetClient client = QuintetClient.open(vertx, dir.resolve(name), relay.url());
    clients.add(client);
    return client;
  }

  private QuintetClient primary() throws Exception {
    QuintetClient phone = device("alice-phone");
    await(phone.register(ALICE));
    await(phone.verify(relay.codeFor(ALICE), "alice-phone", "test"));
    return phone;
  }

  @Test
  void aQrCompanionShowsAFreshCodeAfterARelayRestartAndLinksWithIt() throws Exception {
    QuintetClient phone = primary();
    QuintetClient laptop = device("alice-laptop");
    ListenerQueues laptopInbox = new ListenerQueues();
    Future<LinkedAccount> companion = laptop.linkAsCompanion("laptop", "cli", laptopInbox);
    String before = laptopInbox.next(laptopInbox.uris, "QR code");

    relay = relay.restart();
    laptopInbox.next(laptopInbox.reconnectDelays, "a reconnect");
    String after = laptopInbox.next(laptopInbox.uris, "a fresh QR code");
    assertNotEquals(LinkUri.parse(before).address(), LinkUri.parse(after).address());
    assertFalse(companion.isComplete(), "still waiting to be linked");

    ListenerQueues phoneInbox = new ListenerQueues();
    await(phone.receive(phoneInbox));
    assertEquals(2, await(phone.linkDevice(after)).deviceId());
    assertEquals(new LinkedAccount(ALICE, 2), await(companion));
  }

  @Test
  void aCodeCompanionShowsANewCodeAfterARelayRestartAndTheOldOneNoLongerLinks() throws Exception {
    QuintetClient phone = primary();
    ListenerQueues phoneInbox = new ListenerQueues();
    await(phone.receive(phoneInbox));
    QuintetClient tablet = device("alice-tablet");
    ListenerQueues tabletInbox = new ListenerQueues();
    Future<LinkedAccount> companion = tablet.linkAsCompanionWithCode(ALICE, "tablet", "cli", tabletInbox);
    String before = tabletInbox.next(tabletInbox.codes, "code");

    relay = relay.restart();
    String after = tabletInbox.next(tabletInbox.codes, "a new code");
    assertNotEquals(before, after);
    assertTrue(tabletInbox.reconnected >= 1);

    // The phone's own connection came back too; the new code links.
    assertEquals(2, await(phone.linkDeviceWithCode(after)).deviceId());
    assertEquals(new LinkedAccount(ALICE, 2), await(companion));
  }
}
