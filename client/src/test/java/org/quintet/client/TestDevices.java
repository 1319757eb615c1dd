package org.quintet.client;

import static org.quintet.client.InProcessRelay.await;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.IdentityKey;

/** Devices (each a client with its home) on one in-process relay, closed together. */
final class TestDevices implements AutoCloseable {
  final InProcessRelay relay;
  private final Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final List<QuintetClient> clients = new ArrayList<>();

  TestDevices(InProcessRelay relay, Path dir) {
    this.relay = relay;
    this.dir = dir;
  }

  QuintetClient device(String name) throws Exception {
    return device(name, Clock.systemUTC());
  }

  /** A device whose time is {@code clock}'s. */
  QuintetClient device(String name, Clock clock) throws Exception {
    QuintetClient client = QuintetClient.open(vertx, dir.resolve(name), relay.url(), null, clock);
    clients.add(client);
    return client;
  }

  QuintetClient registerPrimary(String number, String name) throws Exception {
    return registerPrimary(number, name, Clock.systemUTC());
  }

  QuintetClient registerPrimary(String number, String name, Clock clock) throws Exception {
    QuintetClient primary = device(name, clock);
    await(primary.register(number));
    await(primary.verify(relay.codeFor(number), name, "test"));
    return primary;
  }

  /** Links a companion with the primitives alone, no linking channel: quick, for tests about what comes after. */
  QuintetClient linkCompanion(QuintetClient primary, String number, String name) throws Exception {
    QuintetClient companion = device(name);
    IdentityKey identity = await(companion.prepareCompanion());
    DeviceCert issued = await(primary.issueCompanionCert(identity));
    await(primary.addToDeviceList(await(companion.link(number, issued, name, "test"))));
    return companion;
  }

  static ListenerQueues receive(QuintetClient client) throws Exception {
    ListenerQueues inbox = new ListenerQueues();
    await(client.receive(inbox));
    return inbox;
  }

  @Override
  public void close() throws Exception {
    for (QuintetClient client : clients) {
      client.close();
    }
    await(vertx.close());
    relay.close();
  }
}
