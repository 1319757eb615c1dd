package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;
import static org.quintet.client.TestDevices.receive;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renaming devices as a user does it, each device a Java client on one relay: a device renames
 * itself, the primary renames the others, every device hears of it and lists the new names; what
 * the client or the relay refuses renames nothing.
 */
class RenamingTest {
  private static final String ALICE = "+8801711000001";

  @TempDir
  Path dir;
  TestDevices devices;

  @BeforeEach
  void start() throws Exception {
    devices = new TestDevices(InProcessRelay.start(dir.resolve("relay")), dir);
  }

  @AfterEach
  void stop() throws Exception {
    devices.close();
  }

  private static Throwable failure(Future<?> future) {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    return failed.getCause();
  }

  private static List<String> names(QuintetClient client) throws Exception {
    return await(client.devices()).stream().map(DeviceInfo::name).toList();
  }

  @Test
  void aDeviceRenamesItselfThePrimaryRenamesAnyAndEveryDeviceHears() throws Exception {
    QuintetClient phone = devices.registerPrimary(ALICE, "alice-phone");
    QuintetClient laptop = devices.linkCompanion(phone, ALICE, "laptop");
    ListenerQueues phoneInbox = receive(phone);
    ListenerQueues laptopInbox = receive(laptop);

    assertEquals("Work laptop", await(laptop.renameDevice("Work laptop")));

    assertEquals(new DeviceChanges(Set.of(), Set.of()), phoneInbox.next(phoneInbox.deviceChanges, "devices-changed"),
        "a rename adds and removes no device");
    assertEquals(List.of("alice-phone", "Work laptop"), names(phone));

    laptopInbox.deviceChanges.clear();
    assertEquals("আয়েশার ল্যাপটপ", await(phone.renameDevice(2, "আয়েশার ল্যাপটপ")));
    laptopInbox.next(laptopInbox.deviceChanges, "devices-changed");
    assertEquals("Ayesha's phone", await(phone.renameDevice("Ayesha's phone")));
    assertEquals(List.of("Ayesha's phone", "আয়েশার ল্যাপটপ"), names(laptop));
  }

  @Test
  void whatTheClientOrTheRelayRefusesRenamesNothing() throws Exception {
    QuintetClient phone = devices.registerPrimary(ALICE, "alice-phone");
    QuintetClient laptop = devices.linkCompanion(phone, ALICE, "laptop");
    devices.linkCompanion(phone, ALICE, "tablet");

    IllegalStateException notPrimary = assertInstanceOf(IllegalStateException.class,
        failure(laptop.renameDevice(3, "mine now")));
    assertTrue(notPrimary.getMessage().contains("renames others"), notPrimary.getMessage());
    for (String bad : new String[] {"", "   ", "n".repeat(65), "two\nlines", null}) {
      assertInstanceOf(IllegalArgumentException.class, failure(laptop.renameDevice(bad)), "name " + bad);
      assertInstanceOf(IllegalArgumentException.class, failure(phone.renameDevice(2, bad)), "name " + bad);
    }
    assertEquals("laptop", await(laptop.renameDevice(2, "laptop")), "a companion names itself by its id too");
    RelayException unknown = assertInstanceOf(RelayException.class, failure(phone.renameDevice(9, "nobody")));
    assertTrue(unknown.is(404, "UNKNOWN_DEVICE"), unknown.getMessage());

    assertEquals(List.of("alice-phone", "laptop", "tablet"), names(phone));
    assertInstanceOf(NotRegisteredException.class, failure(devices.device("new home").renameDevice("new")));
  }
}
