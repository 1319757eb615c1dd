package org.quintet.relay.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quintet.relay.storage.StorageException.Reason;

/**
 * The executable form of the storage contract ({@link RelayStorage}): every backend has a subclass
 * that supplies a fresh, empty storage. The tests block only their own thread, waiting on futures;
 * races are started from several plain threads released at the same moment.
 */
public abstract class StorageContractTest {
  protected static final String ALICE = "+15550000001";
  protected static final String BOB = "+15550000002";
  protected static final long NOW = 1_700_000_000_000L;
  protected static final int MAX_COMPANIONS = 4;

  private static final long TIMEOUT_SECONDS = 30;
  protected static final byte[] ALICE_KEY = bytes("alice account key");
  private static final byte[] ALICE_NEW_KEY = bytes("alice account key, second phone");
  private static final byte[] BOB_KEY = bytes("bob account key");

  protected Vertx vertx;
  protected RelayStorage storage;

  /** Opens a fresh, empty storage of the backend under test. */
  protected abstract Future<? extends RelayStorage> openEmpty(Vertx vertx);

  /** What an {@code enqueue} of envelopes for several numbers promises when it fails. */
  protected enum BatchAtomicity {
    /** Nothing of the batch is queued. */
    WHOLE_BATCH,
    /** Each number's envelopes are queued all or none; other numbers' may be queued. */
    EACH_NUMBER
  }

  protected abstract BatchAtomicity enqueueAtomicity();

  /**
   * Makes the backend itself fail every write of envelopes for {@code number} (a failure, not a
   * refusal the contract names), by changing its data underneath it, until {@link #mendEnqueues}.
   */
  protected abstract void breakEnqueuesFor(String number) throws Exception;

  protected abstract void mendEnqueues(String number) throws Exception;

  @BeforeEach
  void openStorage() {
    vertx = Vertx.vertx();
    storage = await(openEmpty(vertx));
  }

  @AfterEach
  void closeStorage() {
    await(storage.close());
    await(vertx.close());
  }

  // --- accounts and the primary ---------------------------------------------------------------

  @Test
  void anEmptyStorageKnowsNothing() {
    assertTrue(await(storage.account(ALICE)).isEmpty());
    assertTrue(await(storage.devices(ALICE)).isEmpty());
    assertTrue(await(storage.device(ALICE, 1)).isEmpty());
    assertTrue(await(storage.signedPreKey(ALICE, 1)).isEmpty());
    assertTrue(await(storage.takeOneTimePreKey(ALICE, 1)).isEmpty());
    assertEquals(0, await(storage.oneTimePreKeyCount(ALICE, 1)));
    assertTrue(await(storage.peek(ALICE, 1, 0, 10)).isEmpty());
    assertEquals(0L, await(storage.queueSize(ALICE, 1)));
    assertTrue(await(storage.pendingVerification(ALICE)).isEmpty());
  }

  @Test
  void registerPrimaryCreatesTheAccountAndItsPrimary() {
    Device primary = device(ALICE, 1);
    List<Device> removed = await(storage.registerPrimary(ALICE, ALICE_KEY, bytes("list v1"), 1, primary,
        preKeys("alice 1", 3), NOW));

    assertTrue(removed.isEmpty());
    Account account = await(storage.account(ALICE)).orElseThrow();
    assertEquals(ALICE, account.number());
    assertArrayEquals(ALICE_KEY, account.accountKey());
    assertArrayEquals(bytes("list v1"), account.deviceList());
    assertEquals(1, account.deviceListVersion());
    assertEquals(2, account.nextDeviceId());
    assertEquals(NOW, account.registeredAt());
    assertSameDevice(primary, NOW, await(storage.device(ALICE, 1)).orElseThrow());
    assertEquals(1, await(storage.devices(ALICE)).size());
    assertArrayEquals(bytes("signed alice 1"), await(storage.signedPreKey(ALICE, 1)).orElseThrow());
    assertEquals(3, await(storage.oneTimePreKeyCount(ALICE, 1)));
  }

  @Test
  void registeringAgainReplacesTheAccountAndDeletesEverythingOfTheOldOne() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);
    link(ALICE, ALICE_KEY, 3);
    await(storage.enqueue(List.of(queued(ALICE, 1, "to 1"), queued(ALICE, 2, "to 2"), queued(ALICE, 3, "to 3"),
        queued(ALICE, 9, "to a device id without a device"))));

    Device newPrimary = new Device(ALICE, 1, bytes("new identity"), 4242, bytes("new cert"), "new phone",
        "android", 0, 0);
    List<Device> removed = await(storage.registerPrimary(ALICE, ALICE_NEW_KEY, bytes("new list"), 1, newPrimary,
        preKeys("new primary", 2), NOW + 1000));

    assertEquals(List.of(1L, 2L, 3L), ids(removed));
    assertArrayEquals(bytes("identity " + ALICE + "/2"), removed.get(1).identityKey());
    Account account = await(storage.account(ALICE)).orElseThrow();
    assertArrayEquals(ALICE_NEW_KEY, account.accountKey());
    assertArrayEquals(bytes("new list"), account.deviceList());
    assertEquals(1, account.deviceListVersion());
    assertEquals(4, account.nextDeviceId(), "nextDeviceId carries over");
    assertEquals(NOW + 1000, account.registeredAt());
    assertEquals(List.of(1L), ids(await(storage.devices(ALICE))));
    assertSameDevice(newPrimary, NOW + 1000, await(storage.device(ALICE, 1)).orElseThrow());
    assertArrayEquals(bytes("signed new primary"), await(storage.signedPreKey(ALICE, 1)).orElseThrow());
    assertEquals(2, await(storage.oneTimePreKeyCount(ALICE, 1)), "only the new primary's one-time prekeys");
    assertEquals(0, await(storage.oneTimePreKeyCount(ALICE, 2)));
    assertTrue(await(storage.signedPreKey(ALICE, 2)).isEmpty());
    for (long id : new long[] {1, 2, 3, 9}) {
      assertEquals(0L, await(storage.queueSize(ALICE, id)), "queue of device " + id);
    }
  }

  @Test
  void nextDeviceIdNeverGoesDownNotEvenAfterRemovalsAndReRegistration() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);
    link(ALICE, ALICE_KEY, 3);
    assertTrue(await(storage.removeDevice(ALICE, 3)));
    assertTrue(await(storage.removeDevice(ALICE, 2)));
    assertEquals(4, await(storage.account(ALICE)).orElseThrow().nextDeviceId());

    await(storage.registerPrimary(ALICE, ALICE_NEW_KEY, bytes("new list"), 1, device(ALICE, 1), preKeys("p", 0),
        NOW));

    assertEquals(4, await(storage.account(ALICE)).orElseThrow().nextDeviceId());
    assertEquals(Reason.DEVICE_ID_TAKEN, refusal(storage.addCompanion(ALICE_NEW_KEY, device(ALICE, 2),
        preKeys("c", 0), MAX_COMPANIONS, NOW)));
    link(ALICE, ALICE_NEW_KEY, 4);
  }

  @Test
  void registeringOneNumberLeavesOtherNumbersAlone() {
    registerAlice();
    register(BOB, BOB_KEY);
    link(BOB, BOB_KEY, 2);
    await(storage.enqueue(List.of(queued(BOB, 2, "for bob"))));

    await(storage.registerPrimary(ALICE, ALICE_NEW_KEY, bytes("new list"), 1, device(ALICE, 1), preKeys("p", 0),
        NOW));

    assertEquals(List.of(1L, 2L), ids(await(storage.devices(BOB))));
    assertEquals(1L, await(storage.queueSize(BOB, 2)));
    assertEquals(2, await(storage.oneTimePreKeyCount(BOB, 2)));
  }

  // --- companions -----------------------------------------------------------------------------

  @Test
  void addCompanionStoresTheDeviceWithItsPreKeysAndAdvancesNextDeviceId() {
    registerAlice();
    Device companion = device(ALICE, 2);

    await(storage.addCompanion(ALICE_KEY, companion, preKeys("companion", 5), MAX_COMPANIONS, NOW + 5));

    assertSameDevice(companion, NOW + 5, await(storage.device(ALICE, 2)).orElseThrow());
    assertEquals(List.of(1L, 2L), ids(await(storage.devices(ALICE))));
    assertArrayEquals(bytes("signed companion"), await(storage.signedPreKey(ALICE, 2)).orElseThrow());
    assertEquals(5, await(storage.oneTimePreKeyCount(ALICE, 2)));
    assertEquals(3, await(storage.account(ALICE)).orElseThrow().nextDeviceId());
  }

  @Test
  void addCompanionRefusesAnUnknownAccount() {
    assertEquals(Reason.NO_ACCOUNT, refusal(storage.addCompanion(ALICE_KEY, device(ALICE, 2), preKeys("c", 1),
        MAX_COMPANIONS, NOW)));
    assertTrue(await(storage.devices(ALICE)).isEmpty());
  }

  @Test
  void addCompanionRefusesACertificateForAnEarlierAccountOfTheNumber() {
    registerAlice();
    await(storage.registerPrimary(ALICE, ALICE_NEW_KEY, bytes("new list"), 1, device(ALICE, 1), preKeys("p", 0),
        NOW));

    assertEquals(Reason.ACCOUNT_REPLACED, refusal(storage.addCompanion(ALICE_KEY, device(ALICE, 2),
        preKeys("c", 1), MAX_COMPANIONS, NOW)));
    assertEquals(List.of(1L), ids(await(storage.devices(ALICE))));
    assertEquals(2, await(storage.account(ALICE)).orElseThrow().nextDeviceId());
  }

  @Test
  void addCompanionRefusesAnyIdButTheNextOne() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);

    for (long id : new long[] {1, 2, 4}) {
      assertEquals(Reason.DEVICE_ID_TAKEN, refusal(storage.addCompanion(ALICE_KEY, device(ALICE, id),
          preKeys("c" + id, 1), MAX_COMPANIONS, NOW)), "device id " + id);
    }
    assertEquals(List.of(1L, 2L), ids(await(storage.devices(ALICE))));
    assertEquals(3, await(storage.account(ALICE)).orElseThrow().nextDeviceId());
    assertEquals(2, await(storage.oneTimePreKeyCount(ALICE, 2)), "the refused links stored no prekeys");
    assertEquals(2, await(storage.oneTimePreKeyCount(ALICE, 1)));
    assertEquals(0, await(storage.oneTimePreKeyCount(ALICE, 4)));
  }

  @Test
  void addCompanionRefusesMoreThanTheLimit() {
    registerAlice();
    await(storage.addCompanion(ALICE_KEY, device(ALICE, 2), preKeys("2", 0), 2, NOW));
    await(storage.addCompanion(ALICE_KEY, device(ALICE, 3), preKeys("3", 0), 2, NOW));

    assertEquals(Reason.TOO_MANY_DEVICES, refusal(storage.addCompanion(ALICE_KEY, device(ALICE, 4),
        preKeys("4", 1), 2, NOW)));
    assertEquals(List.of(1L, 2L, 3L), ids(await(storage.devices(ALICE))));
    assertEquals(4, await(storage.account(ALICE)).orElseThrow().nextDeviceId());
    assertEquals(0, await(storage.oneTimePreKeyCount(ALICE, 4)));
  }

  @Test
  void theLimitIsCheckedBeforeTheDeviceId() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);

    assertEquals(Reason.TOO_MANY_DEVICES, refusal(storage.addCompanion(ALICE_KEY, device(ALICE, 2),
        preKeys("again", 0), 1, NOW)));
  }

  @Test
  void theLimitCountsTheCompanionsThatAreLeft() {
    registerAlice();
    await(storage.addCompanion(ALICE_KEY, device(ALICE, 2), preKeys("2", 0), 1, NOW));
    assertTrue(await(storage.removeDevice(ALICE, 2)));

    await(storage.addCompanion(ALICE_KEY, device(ALICE, 3), preKeys("3", 0), 1, NOW));

    assertEquals(List.of(1L, 3L), ids(await(storage.devices(ALICE))));
  }

  @Test
  void racingLinksForTheSameIdAddOneDevice() {
    registerAlice();

    List<Future<Void>> links = together(10, i -> storage.addCompanion(ALICE_KEY,
        new Device(ALICE, 2, bytes("racer " + i), 100 + i, bytes("cert " + i), "racer", "web", 0, 0),
        preKeys("racer " + i, 1), MAX_COMPANIONS, NOW));

    assertEquals(Map.of("ok", 1, "DEVICE_ID_TAKEN", 9), outcomes(links));
    Device winner = await(storage.device(ALICE, 2)).orElseThrow();
    int racer = winner.registrationId() - 100;
    assertTrue(links.get(racer).succeeded(), "the stored device is the one whose link succeeded");
    assertArrayEquals(bytes("signed racer " + racer), await(storage.signedPreKey(ALICE, 2)).orElseThrow());
    assertEquals(1, await(storage.oneTimePreKeyCount(ALICE, 2)));
    assertEquals(3, await(storage.account(ALICE)).orElseThrow().nextDeviceId());
  }

  @Test
  void racingLinksBeyondTheLimitAddExactlyTheAllowedDevices() {
    registerAlice();

    // Each racer does what a linking client does: read the next id, link, and on DEVICE_ID_TAKEN
    // read again, until it is linked or the account is full.
    List<Future<Long>> racers = together(10, i -> {
      while (true) {
        long id = await(storage.account(ALICE)).orElseThrow().nextDeviceId();
        Future<Void> link = storage.addCompanion(ALICE_KEY, device(ALICE, id), preKeys("racer " + i, 0),
            MAX_COMPANIONS, NOW);
        Optional<Reason> refused = outcome(link);
        if (refused.isEmpty()) {
          return Future.succeededFuture(id);
        }
        if (refused.get() != Reason.DEVICE_ID_TAKEN) {
          return Future.failedFuture(link.cause());
        }
      }
    });

    assertEquals(Map.of("ok", MAX_COMPANIONS, "TOO_MANY_DEVICES", 10 - MAX_COMPANIONS), outcomes(racers));
    Set<Long> linked = new HashSet<>();
    racers.stream().filter(Future::succeeded).forEach(racer -> linked.add(racer.result()));
    assertEquals(Set.of(2L, 3L, 4L, 5L), linked);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(await(storage.devices(ALICE))));
    assertEquals(6, await(storage.account(ALICE)).orElseThrow().nextDeviceId());
  }

  // --- the device list ------------------------------------------------------------------------

  @Test
  void replaceDeviceListStoresTheNewListWhenTheVersionMatches() {
    registerAlice();

    await(storage.replaceDeviceList(ALICE, ALICE_KEY, 1, bytes("list v2"), 2));
    await(storage.replaceDeviceList(ALICE, ALICE_KEY, 2, bytes("list v5"), 5));

    Account account = await(storage.account(ALICE)).orElseThrow();
    assertArrayEquals(bytes("list v5"), account.deviceList());
    assertEquals(5, account.deviceListVersion());
    assertArrayEquals(ALICE_KEY, account.accountKey());
    assertEquals(2, account.nextDeviceId());
  }

  @Test
  void replaceDeviceListRefusesAnotherVersion() {
    registerAlice();
    await(storage.replaceDeviceList(ALICE, ALICE_KEY, 1, bytes("list v2"), 2));

    assertEquals(Reason.LIST_VERSION_CONFLICT, refusal(storage.replaceDeviceList(ALICE, ALICE_KEY, 1,
        bytes("list v2 again"), 2)));
    assertEquals(Reason.LIST_VERSION_CONFLICT, refusal(storage.replaceDeviceList(ALICE, ALICE_KEY, 3,
        bytes("list v4"), 4)));
    assertArrayEquals(bytes("list v2"), await(storage.account(ALICE)).orElseThrow().deviceList());
  }

  @Test
  void replaceDeviceListRefusesAReplacedOrUnknownAccount() {
    registerAlice();
    await(storage.registerPrimary(ALICE, ALICE_NEW_KEY, bytes("new list"), 1, device(ALICE, 1), preKeys("p", 0),
        NOW));

    assertEquals(Reason.ACCOUNT_REPLACED, refusal(storage.replaceDeviceList(ALICE, ALICE_KEY, 1,
        bytes("old primary's list"), 2)));
    assertEquals(Reason.NO_ACCOUNT, refusal(storage.replaceDeviceList(BOB, BOB_KEY, 1, bytes("list"), 2)));
    assertArrayEquals(bytes("new list"), await(storage.account(ALICE)).orElseThrow().deviceList());
    assertTrue(await(storage.account(BOB)).isEmpty());
  }

  @Test
  void racingListReplacementsFromOneVersionStoreOneList() {
    registerAlice();

    List<Future<Void>> replacements = together(10,
        i -> storage.replaceDeviceList(ALICE, ALICE_KEY, 1, bytes("list " + i), 2));

    assertEquals(Map.of("ok", 1, "LIST_VERSION_CONFLICT", 9), outcomes(replacements));
    int winner = IntStream.range(0, 10).filter(i -> replacements.get(i).succeeded()).findFirst().orElseThrow();
    Account account = await(storage.account(ALICE)).orElseThrow();
    assertArrayEquals(bytes("list " + winner), account.deviceList());
    assertEquals(2, account.deviceListVersion());
  }

  // --- devices --------------------------------------------------------------------------------

  @Test
  void devicesAreListedByIdForOneNumberOnly() {
    registerAlice();
    register(BOB, BOB_KEY);
    link(ALICE, ALICE_KEY, 2);
    link(ALICE, ALICE_KEY, 3);

    assertEquals(List.of(1L, 2L, 3L), ids(await(storage.devices(ALICE))));
    assertEquals(List.of(1L), ids(await(storage.devices(BOB))));
    assertTrue(await(storage.device(BOB, 2)).isEmpty());
  }

  @Test
  void removeDeviceDeletesTheDeviceWithItsPreKeysAndQueue() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);
    link(ALICE, ALICE_KEY, 3);
    await(storage.enqueue(List.of(queued(ALICE, 2, "a"), queued(ALICE, 2, "b"), queued(ALICE, 3, "c"))));

    assertTrue(await(storage.removeDevice(ALICE, 2)));

    assertTrue(await(storage.device(ALICE, 2)).isEmpty());
    assertEquals(List.of(1L, 3L), ids(await(storage.devices(ALICE))));
    assertTrue(await(storage.signedPreKey(ALICE, 2)).isEmpty());
    assertEquals(0, await(storage.oneTimePreKeyCount(ALICE, 2)));
    assertTrue(await(storage.takeOneTimePreKey(ALICE, 2)).isEmpty());
    assertEquals(0L, await(storage.queueSize(ALICE, 2)));
    assertEquals(1L, await(storage.queueSize(ALICE, 3)), "other queues stay");
    assertEquals(2, await(storage.oneTimePreKeyCount(ALICE, 3)), "other prekeys stay");
    Account account = await(storage.account(ALICE)).orElseThrow();
    assertEquals(4, account.nextDeviceId());
    assertArrayEquals(bytes("list v1"), account.deviceList(), "the signed list is the primary's to change");
    assertFalse(await(storage.removeDevice(ALICE, 2)), "already removed");
  }

  @Test
  void removeDeviceOfAnUnknownDeviceReturnsFalse() {
    assertFalse(await(storage.removeDevice(ALICE, 2)));
    registerAlice();
    assertFalse(await(storage.removeDevice(ALICE, 7)));
  }

  @Test
  void touchDeviceRecordsWhenTheDeviceWasLastSeen() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);

    await(storage.touchDevice(ALICE, 2, NOW + 60_000));

    Device touched = await(storage.device(ALICE, 2)).orElseThrow();
    assertEquals(NOW + 60_000, touched.lastSeenAt());
    assertEquals(NOW, touched.createdAt());
    assertEquals(NOW, await(storage.device(ALICE, 1)).orElseThrow().lastSeenAt());
  }

  @Test
  void devicesNotSeenSinceFindsStaleDevicesOfEveryAccount() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);
    await(storage.touchDevice(ALICE, 1, NOW + 10_000));

    List<Device> stale = await(storage.devicesNotSeenSince(NOW + 5_000));
    assertEquals(List.of(2L), stale.stream().map(Device::deviceId).toList());
    assertEquals(ALICE, stale.get(0).number());
    assertEquals(2, await(storage.devicesNotSeenSince(NOW + 10_001)).size());
    assertTrue(await(storage.devicesNotSeenSince(NOW)).isEmpty(), "seen exactly then is not stale");
  }

  @Test
  void theHourlyWalksReachEveryAccountHoweverMany() {
    int accounts = 1_234;
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      numbers.add("+1555070" + String.format("%04d", i));
    }
    // Registered first: a registration empties the number's queues.
    numbers.stream().map(number -> storage.registerPrimary(number, bytes("key " + number), bytes("list"), 1,
        device(number, 1), preKeys(number, 0), NOW)).toList().forEach(StorageContractTest::await);
    numbers.stream().map(number -> storage.enqueue(List.of(queued(number, 1, "expired", NOW - 1)))).toList()
        .forEach(StorageContractTest::await);

    assertEquals(accounts, await(storage.devicesNotSeenSince(NOW + 1)).size(), "every stale device, once");
    assertEquals((long) accounts, await(storage.purgeExpired(NOW)), "every queue's expired envelope");
    assertEquals(0L, await(storage.purgeExpired(NOW)));
  }

  @Test
  void touchDeviceRefusesAnUnknownDevice() {
    assertEquals(Reason.NO_DEVICE, refusal(storage.touchDevice(ALICE, 1, NOW)));
    registerAlice();
    assertEquals(Reason.NO_DEVICE, refusal(storage.touchDevice(ALICE, 2, NOW)));
  }

  @Test
  void renameDeviceChangesItsNameAndNothingElse() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);
    Device before = await(storage.device(ALICE, 2)).orElseThrow();

    await(storage.renameDevice(ALICE, 2, "অফিসের ল্যাপটপ"));

    Device renamed = await(storage.device(ALICE, 2)).orElseThrow();
    assertEquals("অফিসের ল্যাপটপ", renamed.name());
    assertEquals(before.platform(), renamed.platform());
    assertArrayEquals(before.identityKey(), renamed.identityKey());
    assertArrayEquals(before.cert(), renamed.cert());
    assertEquals(before.registrationId(), renamed.registrationId());
    assertEquals(before.createdAt(), renamed.createdAt());
    assertEquals(before.lastSeenAt(), renamed.lastSeenAt());
    assertArrayEquals(bytes("signed companion 2"), await(storage.signedPreKey(ALICE, 2)).orElseThrow());
    assertEquals(2, await(storage.oneTimePreKeyCount(ALICE, 2)));
    assertEquals(List.of("device 1", "অফিসের ল্যাপটপ"),
        await(storage.devices(ALICE)).stream().map(Device::name).toList(), "the list shows the new name; the primary keeps its own");

    await(storage.renameDevice(ALICE, 2, ""));
    assertEquals("", await(storage.device(ALICE, 2)).orElseThrow().name(), "an empty name is a name, not none");
  }

  @Test
  void renameDeviceRefusesAnUnknownDeviceAndBringsNoRemovedOneBack() {
    assertEquals(Reason.NO_DEVICE, refusal(storage.renameDevice(ALICE, 1, "phone")));
    registerAlice();
    link(ALICE, ALICE_KEY, 2);
    assertTrue(await(storage.removeDevice(ALICE, 2)));

    assertEquals(Reason.NO_DEVICE, refusal(storage.renameDevice(ALICE, 2, "laptop")));
    assertEquals(Reason.NO_DEVICE, refusal(storage.renameDevice(BOB, 1, "laptop")));

    assertTrue(await(storage.device(ALICE, 2)).isEmpty());
    assertEquals(List.of(1L), ids(await(storage.devices(ALICE))));
    assertEquals("device 1", await(storage.device(ALICE, 1)).orElseThrow().name());
  }

  // --- prekeys --------------------------------------------------------------------------------

  @Test
  void storePreKeysReplacesTheSignedPreKeyAndAddsOneTimePreKeys() {
    registerAlice();

    await(storage.storePreKeys(ALICE, 1, preKeys("second upload", 3)));

    assertArrayEquals(bytes("signed second upload"), await(storage.signedPreKey(ALICE, 1)).orElseThrow());
    assertEquals(5, await(storage.oneTimePreKeyCount(ALICE, 1)));
  }

  @Test
  void storePreKeysWithoutASignedPreKeyKeepsTheStoredOne() {
    registerAlice();

    await(storage.storePreKeys(ALICE, 1, new PreKeys(null, List.of(bytes("one more")))));

    assertArrayEquals(bytes("signed alice"), await(storage.signedPreKey(ALICE, 1)).orElseThrow());
    assertEquals(3, await(storage.oneTimePreKeyCount(ALICE, 1)));
  }

  @Test
  void storePreKeysRefusesAnUnknownDevice() {
    registerAlice();

    assertEquals(Reason.NO_DEVICE, refusal(storage.storePreKeys(ALICE, 2, preKeys("nobody", 2))));
    assertEquals(Reason.NO_DEVICE, refusal(storage.storePreKeys(BOB, 1, preKeys("nobody", 2))));
    assertEquals(0, await(storage.oneTimePreKeyCount(ALICE, 2)));
    assertTrue(await(storage.signedPreKey(ALICE, 2)).isEmpty());
  }

  @Test
  void takeOneTimePreKeyHandsOutEachKeyOnceThenNothing() {
    registerAlice();
    await(storage.storePreKeys(ALICE, 1, new PreKeys(null, List.of(bytes("k3"), bytes("k4")))));

    Set<String> taken = new HashSet<>();
    for (int left = 3; left >= 0; left--) {
      taken.add(text(await(storage.takeOneTimePreKey(ALICE, 1)).orElseThrow()));
      assertEquals(left, await(storage.oneTimePreKeyCount(ALICE, 1)));
    }

    assertEquals(Set.of("one-time alice 0", "one-time alice 1", "k3", "k4"), taken);
    assertTrue(await(storage.takeOneTimePreKey(ALICE, 1)).isEmpty());
    assertArrayEquals(bytes("signed alice"), await(storage.signedPreKey(ALICE, 1)).orElseThrow(),
        "the signed prekey is never used up");
  }

  @Test
  void oneTimePreKeysBelongToTheirDevice() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);

    assertTrue(text(await(storage.takeOneTimePreKey(ALICE, 2)).orElseThrow()).startsWith("one-time companion 2"));
    assertEquals(2, await(storage.oneTimePreKeyCount(ALICE, 1)));
    assertEquals(1, await(storage.oneTimePreKeyCount(ALICE, 2)));
  }

  @Test
  void concurrentTakesHandOutEachKeyExactlyOnce() {
    registerAlice();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add(bytes("race key " + i));
    }
    await(storage.storePreKeys(ALICE, 1, new PreKeys(null, keys)));

    // 16 takers of 4 keys each want 64 keys; 42 are there.
    List<Future<List<Optional<byte[]>>>> takers = together(16, i -> {
      List<Future<Optional<byte[]>>> mine = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        mine.add(storage.takeOneTimePreKey(ALICE, 1));
      }
      return Future.all(mine).map(all -> mine.stream().map(Future::result).toList());
    });

    List<String> handedOut = new ArrayList<>();
    int empty = 0;
    for (Future<List<Optional<byte[]>>> taker : takers) {
      for (Optional<byte[]> key : await(taker)) {
        if (key.isPresent()) {
          handedOut.add(text(key.get()));
        } else {
          empty++;
        }
      }
    }
    assertEquals(42, handedOut.size(), "40 uploaded plus the 2 of the registration");
    assertEquals(42, new HashSet<>(handedOut).size(), "no key twice");
    assertEquals(64 - 42, empty);
    assertEquals(0, await(storage.oneTimePreKeyCount(ALICE, 1)));
  }

  // --- queues ---------------------------------------------------------------------------------

  @Test
  void peekReturnsTheQueueOldestFirst() {
    await(storage.enqueue(List.of(queued(ALICE, 1, "first", NOW + 1), queued(ALICE, 1, "second", NOW + 2))));
    await(storage.enqueue(List.of(queued(ALICE, 1, "third", NOW + 3))));

    List<StoredEnvelope> queue = await(storage.peek(ALICE, 1, 0, 10));

    assertEquals(List.of("first", "second", "third"), texts(queue));
    assertEquals(List.of(NOW + 1, NOW + 2, NOW + 3), queue.stream().map(StoredEnvelope::expiresAt).toList());
    assertTrue(queue.get(0).seq() < queue.get(1).seq() && queue.get(1).seq() < queue.get(2).seq());
    assertEquals(3L, await(storage.queueSize(ALICE, 1)));
    assertEquals(3, await(storage.peek(ALICE, 1, 0, 10)).size(), "peeking removes nothing");
  }

  @Test
  void peekStartsAfterTheGivenSeqAndStopsAtTheLimit() {
    List<QueuedEnvelope> envelopes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      envelopes.add(queued(ALICE, 1, "envelope " + i));
    }
    await(storage.enqueue(envelopes));
    List<StoredEnvelope> all = await(storage.peek(ALICE, 1, 0, 100));

    assertEquals(List.of("envelope 0", "envelope 1", "envelope 2"), texts(await(storage.peek(ALICE, 1, 0, 3))));
    assertEquals(List.of("envelope 4", "envelope 5"), texts(await(storage.peek(ALICE, 1, all.get(3).seq(), 2))));
    assertEquals(List.of("envelope 9"), texts(await(storage.peek(ALICE, 1, all.get(8).seq(), 64))));
    assertTrue(await(storage.peek(ALICE, 1, all.get(9).seq(), 64)).isEmpty());
    assertTrue(await(storage.peek(ALICE, 1, 0, 0)).isEmpty());
  }

  @Test
  void acknowledgeReturnsTheEnvelopeOnceAndRemovesIt() {
    await(storage.enqueue(List.of(queued(ALICE, 1, "a", NOW + 7), queued(ALICE, 1, "b"))));
    StoredEnvelope first = await(storage.peek(ALICE, 1, 0, 1)).get(0);

    StoredEnvelope acknowledged = await(storage.acknowledge(ALICE, 1, first.seq())).orElseThrow();

    assertEquals(first.seq(), acknowledged.seq());
    assertEquals("a", text(acknowledged.envelope()));
    assertEquals(NOW + 7, acknowledged.expiresAt());
    assertTrue(await(storage.acknowledge(ALICE, 1, first.seq())).isEmpty());
    assertEquals(List.of("b"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(1L, await(storage.queueSize(ALICE, 1)));
    assertTrue(await(storage.acknowledge(ALICE, 1, 999_999)).isEmpty());
  }

  @Test
  void aBatchOfAcknowledgementsRemovesExactlyTheQueuedOnesOfThatQueue() {
    await(storage.enqueue(List.of(queued(ALICE, 1, "a"), queued(ALICE, 1, "b"), queued(ALICE, 1, "c"),
        queued(ALICE, 2, "other device"))));
    List<StoredEnvelope> queued = await(storage.peek(ALICE, 1, 0, 10));
    long otherDevices = await(storage.peek(ALICE, 2, 0, 1)).get(0).seq();

    List<StoredEnvelope> removed = await(storage.acknowledge(ALICE, 1,
        List.of(queued.get(2).seq(), 999_999L, queued.get(0).seq(), otherDevices)));

    assertEquals(List.of("a", "c"), texts(removed.stream()
        .sorted(java.util.Comparator.comparingLong(StoredEnvelope::seq)).toList()));
    assertEquals(List.of("b"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(1L, await(storage.queueSize(ALICE, 2)), "another device's seq in the batch is left alone");
    assertTrue(await(storage.acknowledge(ALICE, 1, List.of(queued.get(0).seq(), queued.get(2).seq()))).isEmpty(),
        "a second batch of the same seqs removes nothing");
    assertTrue(await(storage.acknowledge(ALICE, 1, List.of())).isEmpty());
  }

  @Test
  void aDeviceAcknowledgesOnlyItsOwnQueue() {
    await(storage.enqueue(List.of(queued(ALICE, 1, "for alice 1"))));
    long seq = await(storage.peek(ALICE, 1, 0, 1)).get(0).seq();

    assertTrue(await(storage.acknowledge(ALICE, 2, seq)).isEmpty());
    assertTrue(await(storage.acknowledge(BOB, 1, seq)).isEmpty());
    assertEquals(1L, await(storage.queueSize(ALICE, 1)));
  }

  @Test
  void queuesAreSeparateForEachDeviceAndNumber() {
    await(storage.enqueue(List.of(queued(ALICE, 1, "alice 1"), queued(ALICE, 2, "alice 2"),
        queued(BOB, 1, "bob 1"), queued(ALICE, 1, "alice 1 again"))));

    assertEquals(List.of("alice 1", "alice 1 again"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(List.of("alice 2"), texts(await(storage.peek(ALICE, 2, 0, 10))));
    assertEquals(List.of("bob 1"), texts(await(storage.peek(BOB, 1, 0, 10))));
    assertEquals(2L, await(storage.queueSize(ALICE, 1)));
    assertEquals(1L, await(storage.queueSize(BOB, 1)));
    assertEquals(0L, await(storage.queueSize(BOB, 2)));
  }

  @Test
  void seqKeepsGrowingAfterTheQueueIsEmptied() {
    await(storage.enqueue(List.of(queued(ALICE, 1, "a"), queued(ALICE, 1, "b"))));
    List<StoredEnvelope> before = await(storage.peek(ALICE, 1, 0, 10));
    for (StoredEnvelope envelope : before) {
      assertTrue(await(storage.acknowledge(ALICE, 1, envelope.seq())).isPresent());
    }

    await(storage.enqueue(List.of(queued(ALICE, 1, "c"))));

    assertTrue(await(storage.peek(ALICE, 1, 0, 10)).get(0).seq() > before.get(1).seq());
  }

  @Test
  void aBatchWithAMalformedEnvelopeFailsAndQueuesNothing() {
    await(storage.enqueue(List.of(queued(ALICE, 1, "before"))));

    Future<Void> broken = storage.enqueue(List.of(queued(BOB, 1, "fine"), queued(ALICE, 1, "fine"),
        queued(ALICE, 2, "fine too"), new QueuedEnvelope(ALICE, 3, null, NOW)));

    assertNotNull(failure(broken));
    assertEquals(List.of("before"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(0L, await(storage.queueSize(ALICE, 2)));
    assertEquals(0L, await(storage.queueSize(ALICE, 3)));
    assertEquals(0L, await(storage.queueSize(BOB, 1)), "another number of the batch");
  }

  /**
   * A send to Bob with copies for Alice's own devices fails on Bob's number. What is left is what the
   * backend promises (docs/storage.md, "What is atomic"), and the sender's retry of the same batch
   * then queues Bob's envelopes once and, where the first try kept Alice's, Alice's a second time,
   * which clients drop by message id.
   */
  @Test
  void aBatchThatFailsOnOneNumberKeepsWhatTheBackendPromises() throws Exception {
    await(storage.enqueue(List.of(queued(ALICE, 1, "before"))));
    List<QueuedEnvelope> send = List.of(queued(ALICE, 1, "message 7"), queued(ALICE, 2, "message 7"),
        queued(BOB, 1, "message 7"), queued(BOB, 2, "message 7"));
    breakEnqueuesFor(BOB);

    assertNotNull(failure(storage.enqueue(send)));

    assertEquals(0L, await(storage.queueSize(BOB, 1)), "the failing number's envelopes are all or none");
    assertEquals(0L, await(storage.queueSize(BOB, 2)));
    List<String> kept = enqueueAtomicity() == BatchAtomicity.WHOLE_BATCH ? List.of() : List.of("message 7");
    List<String> aliceBefore = new ArrayList<>(List.of("before"));
    aliceBefore.addAll(kept);
    assertEquals(aliceBefore, texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(kept, texts(await(storage.peek(ALICE, 2, 0, 10))));

    mendEnqueues(BOB);
    await(storage.enqueue(send));

    assertEquals(List.of("message 7"), texts(await(storage.peek(BOB, 1, 0, 10))));
    assertEquals(List.of("message 7"), texts(await(storage.peek(BOB, 2, 0, 10))));
    List<String> aliceAfter = new ArrayList<>(aliceBefore);
    aliceAfter.add("message 7");
    assertEquals(aliceAfter, texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(1L + kept.size(), await(storage.queueSize(ALICE, 2)));
  }

  @Test
  void enqueueOfNothingSucceeds() {
    await(storage.enqueue(List.of()));
    assertEquals(0L, await(storage.queueSize(ALICE, 1)));
  }

  @Test
  void queuesDoNotNeedADeviceButGoWithTheDevice() {
    await(storage.enqueue(List.of(queued(ALICE, 5, "for a device that never registered"))));
    assertEquals(1L, await(storage.queueSize(ALICE, 5)));

    assertFalse(await(storage.removeDevice(ALICE, 5)));

    assertEquals(0L, await(storage.queueSize(ALICE, 5)));
  }

  @Test
  void concurrentEnqueuesAreAllKept() {
    List<Future<Void>> senders = together(8, i -> {
      List<Future<Void>> mine = new ArrayList<>();
      for (int j = 0; j < 50; j++) {
        mine.add(storage.enqueue(List.of(queued(ALICE, 1, "sender " + i + " message " + j),
            queued(ALICE, 2, "sender " + i + " message " + j))));
      }
      return Future.all(mine).mapEmpty();
    });
    senders.forEach(StorageContractTest::await);

    for (long device : new long[] {1, 2}) {
      List<StoredEnvelope> queue = await(storage.peek(ALICE, device, 0, 1000));
      assertEquals(400, queue.size());
      assertEquals(400, new HashSet<>(texts(queue)).size());
      for (int i = 1; i < queue.size(); i++) {
        assertTrue(queue.get(i - 1).seq() < queue.get(i).seq());
      }
    }
  }

  @Test
  void purgeExpiredDeletesTheEnvelopesDueByNow() {
    await(storage.enqueue(List.of(queued(ALICE, 1, "expired", NOW - 1), queued(ALICE, 1, "due now", NOW),
        queued(ALICE, 1, "later", NOW + 1), queued(BOB, 2, "bob's expired", NOW - 100))));

    assertEquals(3L, await(storage.purgeExpired(NOW)));

    assertEquals(List.of("later"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(0L, await(storage.queueSize(BOB, 2)));
    assertEquals(0L, await(storage.purgeExpired(NOW)));
  }

  /**
   * Each envelope keeps its own expiry (a send may ask for a shorter life than the queue's), so a
   * queue's expiries are in no order: the purge takes the due ones from the middle of a queue, and
   * what is left keeps its order and its room in the quota.
   */
  @Test
  void eachEnvelopeExpiresByItsOwnTimeWhereverItIsInTheQueue() {
    QueueQuota three = new QueueQuota(3, 1_000_000);
    await(storage.enqueue(List.of(queued(ALICE, 1, "a month", NOW + 2_592_000_000L),
        queued(ALICE, 1, "a second", NOW + 1_000), queued(ALICE, 1, "a minute", NOW + 60_000)), three));
    List<StoredEnvelope> queue = await(storage.peek(ALICE, 1, 0, 10));
    assertEquals(List.of("a month", "a second", "a minute"), texts(queue));
    assertEquals(List.of(NOW + 2_592_000_000L, NOW + 1_000, NOW + 60_000),
        queue.stream().map(StoredEnvelope::expiresAt).toList());

    assertEquals(1L, await(storage.purgeExpired(NOW + 1_000)));
    assertEquals(List.of("a month", "a minute"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(List.of("a minute"), texts(await(storage.peek(ALICE, 1, queue.get(0).seq(), 10))),
        "the queue goes on after the gap");
    await(storage.enqueue(List.of(queued(ALICE, 1, "in the room it left", NOW + 2_000)), three));

    // A device's connection that meets an expired envelope takes it out by its seq, before any purge.
    StoredEnvelope expired = await(storage.peek(ALICE, 1, queue.get(2).seq(), 1)).get(0);
    assertEquals("in the room it left", text(expired.envelope()));
    assertEquals(List.of(expired.seq()), await(storage.acknowledge(ALICE, 1, List.of(expired.seq()))).stream()
        .map(StoredEnvelope::seq).toList());
    assertEquals(0L, await(storage.purgeExpired(NOW + 2_000)), "nothing else was due");
    assertEquals(1L, await(storage.purgeExpired(NOW + 60_000)));
    assertEquals(List.of("a month"), texts(await(storage.peek(ALICE, 1, 0, 10))));
  }

  @Test
  void queuedEnvelopesCountsEveryQueueOfEveryNumber() {
    assertEquals(0L, await(storage.queuedEnvelopes()));
    await(storage.enqueue(List.of(queued(ALICE, 1, "a"), queued(ALICE, 1, "b"), queued(ALICE, 2, "c"),
        queued(BOB, 1, "d"), queued(BOB, 3, "expired", NOW - 1))));
    assertEquals(5L, await(storage.queuedEnvelopes()));

    await(storage.acknowledge(ALICE, 1, await(storage.peek(ALICE, 1, 0, 1)).get(0).seq()));
    assertEquals(4L, await(storage.queuedEnvelopes()), "an acknowledged envelope left");
    await(storage.purgeExpired(NOW));
    assertEquals(3L, await(storage.queuedEnvelopes()), "a purged envelope left");
    await(storage.removeDevice(ALICE, 2));
    assertEquals(2L, await(storage.queuedEnvelopes()), "a removed device's queue left");
    await(storage.registerPrimary(BOB, BOB_KEY, bytes("list v1"), 1, device(BOB, 1), preKeys("bob 1", 1), NOW));
    assertEquals(1L, await(storage.queuedEnvelopes()), "a number registered again starts with no queues");
  }

  // --- the queue quota ------------------------------------------------------------------------

  private static List<FullQueue> full(Future<?> refused) {
    StorageException refusal = assertInstanceOf(StorageException.class, failure(refused));
    assertEquals(Reason.QUEUE_FULL, refusal.reason());
    return refusal.fullQueues();
  }

  @Test
  void aQuotaOfEnvelopesTakesUpToItAndRefusesMoreWhole() {
    QueueQuota three = new QueueQuota(3, 1_000_000);
    await(storage.enqueue(List.of(queued(ALICE, 1, "a"), queued(ALICE, 1, "b")), three));

    assertEquals(List.of(new FullQueue(ALICE, 1, QueueQuota.Limit.ENVELOPES)),
        full(storage.enqueue(List.of(queued(ALICE, 1, "c"), queued(ALICE, 1, "d")), three)));
    assertEquals(List.of("a", "b"), texts(await(storage.peek(ALICE, 1, 0, 10))), "nothing of the refused call");

    await(storage.enqueue(List.of(queued(ALICE, 1, "c"), queued(ALICE, 2, "other device")), three));
    assertEquals(List.of(new FullQueue(ALICE, 1, QueueQuota.Limit.ENVELOPES)),
        full(storage.enqueue(List.of(queued(ALICE, 2, "fits"), queued(ALICE, 1, "one more")), three)));
    assertEquals(List.of("a", "b", "c"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(List.of("other device"), texts(await(storage.peek(ALICE, 2, 0, 10))));
    await(storage.enqueue(List.of(queued(ALICE, 1, "without a quota"))));
    assertEquals(4L, await(storage.queueSize(ALICE, 1)), "a call without a quota is not held to one");
  }

  @Test
  void aQuotaOfBytesCountsTheEnvelopesLengths() {
    QueueQuota tenBytes = new QueueQuota(1000, 10);
    await(storage.enqueue(List.of(queued(ALICE, 1, "12345")), tenBytes));

    assertEquals(List.of(new FullQueue(ALICE, 1, QueueQuota.Limit.BYTES)),
        full(storage.enqueue(List.of(queued(ALICE, 1, "123456")), tenBytes)));
    await(storage.enqueue(List.of(queued(ALICE, 1, "\u00e9\u00e9x"), queued(BOB, 1, "1234567890")), tenBytes));
    assertEquals(List.of(new FullQueue(ALICE, 1, QueueQuota.Limit.BYTES), new FullQueue(BOB, 1,
        QueueQuota.Limit.BYTES)), sorted(full(storage.enqueue(List.of(queued(BOB, 1, "x"), queued(ALICE, 1, "x")),
        tenBytes))));
    assertEquals(List.of(new FullQueue(ALICE, 1, QueueQuota.Limit.ENVELOPES), new FullQueue(ALICE, 1,
        QueueQuota.Limit.BYTES)), full(storage.enqueue(List.of(queued(ALICE, 1, "x")), new QueueQuota(2, 10))),
        "both limits, when both would be passed");
  }

  /** A send to Bob with copies for Alice's other devices: Bob's full queue refuses it, and Alice gets nothing either. */
  @Test
  void aSendThatOneFullQueueRefusesQueuesNothingForAnyone() {
    QueueQuota two = new QueueQuota(2, 1_000_000);
    await(storage.enqueue(List.of(queued(BOB, 2, "1"), queued(BOB, 2, "2")), two));
    await(storage.enqueue(List.of(queued(ALICE, 2, "before")), two));

    List<QueuedEnvelope> send = List.of(queued(BOB, 1, "message"), queued(BOB, 2, "message"),
        queued(ALICE, 2, "message"), queued(ALICE, 3, "message"));
    assertEquals(List.of(new FullQueue(BOB, 2, QueueQuota.Limit.ENVELOPES)), full(storage.enqueue(send, two)));

    assertEquals(0L, await(storage.queueSize(BOB, 1)));
    assertEquals(List.of("1", "2"), texts(await(storage.peek(BOB, 2, 0, 10))));
    assertEquals(List.of("before"), texts(await(storage.peek(ALICE, 2, 0, 10))), "the sender's own device: nothing");
    assertEquals(0L, await(storage.queueSize(ALICE, 3)));
    assertEquals(3L, await(storage.queuedEnvelopes()));

    // Room again: the same send goes through whole, and Alice's queue counts the withdrawn copy no more.
    await(storage.acknowledge(BOB, 2, await(storage.peek(BOB, 2, 0, 1)).get(0).seq()));
    await(storage.enqueue(send, two));
    assertEquals(List.of("before", "message"), texts(await(storage.peek(ALICE, 2, 0, 10))));
    assertEquals(List.of(new FullQueue(ALICE, 2, QueueQuota.Limit.ENVELOPES)),
        full(storage.enqueue(List.of(queued(ALICE, 2, "third")), two)));
  }

  @Test
  void whatLeavesAQueueMakesRoomInIt() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);
    QueueQuota quota = new QueueQuota(2, 8);
    await(storage.enqueue(List.of(queued(ALICE, 1, "1234"), queued(ALICE, 1, "5678", NOW + 1)), quota));
    assertEquals(List.of(new FullQueue(ALICE, 1, QueueQuota.Limit.ENVELOPES), new FullQueue(ALICE, 1,
        QueueQuota.Limit.BYTES)), full(storage.enqueue(List.of(queued(ALICE, 1, "x")), quota)));

    // An acknowledgement frees its envelope and its bytes.
    await(storage.acknowledge(ALICE, 1, await(storage.peek(ALICE, 1, 0, 1)).get(0).seq()));
    await(storage.enqueue(List.of(queued(ALICE, 1, "abcd")), quota));
    // So does the purge of an expired one.
    assertEquals(1L, await(storage.purgeExpired(NOW + 1)));
    await(storage.enqueue(List.of(queued(ALICE, 1, "efgh")), quota));
    assertEquals(List.of("abcd", "efgh"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    // A removed device's queue, and every queue of a number registered again, start empty.
    await(storage.enqueue(List.of(queued(ALICE, 2, "1234"), queued(ALICE, 2, "5678")), quota));
    assertTrue(await(storage.removeDevice(ALICE, 2)));
    await(storage.enqueue(List.of(queued(ALICE, 2, "1234"), queued(ALICE, 2, "5678")), quota));
    registerAlice();
    await(storage.enqueue(List.of(queued(ALICE, 1, "1234"), queued(ALICE, 1, "5678")), quota));
    await(storage.enqueue(List.of(queued(ALICE, 2, "1234"), queued(ALICE, 2, "5678")), quota));
    assertEquals(List.of("1234", "5678"), texts(await(storage.peek(ALICE, 1, 0, 10))));
  }

  /** Senders racing for the last room of one queue: exactly the quota is queued, the others are refused whole. */
  @Test
  void racingSendersNeverTakeAQueuePastItsQuota() {
    // Bob's device has room for 20 more; Alice's own device, which gets a copy of each send, for all.
    QueueQuota quota = new QueueQuota(100, 1_000_000);
    List<QueuedEnvelope> waiting = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      waiting.add(queued(BOB, 1, "waiting " + i));
    }
    await(storage.enqueue(waiting, quota));

    List<Future<Void>> sends = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> senders = together(16, i -> {
      List<Future<Void>> mine = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        // Bob's device 1 and, as a sender's own copy, Alice's device 2 of each racer.
        mine.add(storage.enqueue(List.of(queued(BOB, 1, "racer " + i + " message " + j),
            queued(ALICE, 2, "racer " + i + " message " + j)), quota));
      }
      sends.addAll(mine);
      return Future.join(mine).mapEmpty();
    });
    senders.forEach(StorageContractTest::outcomeQuietly);

    List<String> bob = texts(await(storage.peek(BOB, 1, 0, 1000)));
    assertEquals(100, bob.size(), "exactly the quota");
    assertEquals(Map.of("ok", 20, "QUEUE_FULL", 44), outcomes(sends));
    List<String> alice = texts(await(storage.peek(ALICE, 2, 0, 1000)));
    assertEquals(new HashSet<>(bob.subList(80, 100)), new HashSet<>(alice),
        "each send that got in is queued for both, and each refused one for neither");
  }

  private static List<FullQueue> sorted(List<FullQueue> full) {
    return full.stream().sorted(java.util.Comparator.comparing(FullQueue::number)
        .thenComparingLong(FullQueue::deviceId).thenComparing(FullQueue::limit)).toList();
  }

  // --- log-in challenges ------------------------------------------------------------------------

  /** A challenge's expiry in real time: Redis lets the record lapse by its own clock. */
  private static long challengeExpiry() {
    return System.currentTimeMillis() + 60_000;
  }

  @Test
  void aChallengeIsUsedOnce() {
    byte[] challenge = bytes("challenge one, forty bytes long........");
    long expiresAt = challengeExpiry();

    assertTrue(await(storage.useChallenge(challenge, expiresAt)));
    assertFalse(await(storage.useChallenge(challenge, expiresAt)));
    assertFalse(await(storage.useChallenge(challenge.clone(), expiresAt)), "the bytes, not the array");
    assertTrue(await(storage.useChallenge(bytes("challenge two, forty bytes long........"), expiresAt)));

    await(storage.purgeExpired(NOW));
    assertFalse(await(storage.useChallenge(challenge, expiresAt)), "still used after a purge before its expiry");
  }

  @Test
  void racingUsesOfOneChallengeLetExactlyOneThrough() {
    byte[] challenge = bytes("a challenge many nodes see at once......");
    long expiresAt = challengeExpiry();

    List<Future<Boolean>> uses = together(16, i -> storage.useChallenge(challenge, expiresAt));

    assertEquals(1, uses.stream().filter(use -> await(use)).count());
  }

  // --- registration codes ---------------------------------------------------------------------

  @Test
  void aPendingVerificationIsStoredAndReplaced() {
    await(storage.putPendingVerification(pending(ALICE, "hash 1", 0)));
    await(storage.putPendingVerification(pending(BOB, "bob's hash", 0)));
    await(storage.putPendingVerification(pending(ALICE, "hash 2", 0)));

    PendingVerification stored = await(storage.pendingVerification(ALICE)).orElseThrow();
    assertEquals(ALICE, stored.number());
    assertArrayEquals(bytes("hash 2"), stored.codeHash());
    assertArrayEquals(bytes("salt hash 2"), stored.salt());
    assertEquals(NOW + 600_000, stored.expiresAt());
    assertEquals(0, stored.failedAttempts());
    assertEquals(NOW, stored.lastSentAt());
    assertArrayEquals(bytes("bob's hash"), await(storage.pendingVerification(BOB)).orElseThrow().codeHash());
  }

  @Test
  void failVerificationCountsWrongCodes() {
    await(storage.putPendingVerification(pending(ALICE, "hash", 0)));

    assertEquals(1, await(storage.failVerification(ALICE)));
    assertEquals(2, await(storage.failVerification(ALICE)));
    assertEquals(3, await(storage.failVerification(ALICE)));

    PendingVerification stored = await(storage.pendingVerification(ALICE)).orElseThrow();
    assertEquals(3, stored.failedAttempts());
    assertArrayEquals(bytes("hash"), stored.codeHash());
  }

  @Test
  void failVerificationWithoutAPendingCodeCountsNothing() {
    assertEquals(0, await(storage.failVerification(ALICE)));
    assertTrue(await(storage.pendingVerification(ALICE)).isEmpty());
  }

  @Test
  void concurrentWrongCodesAreAllCounted() {
    await(storage.putPendingVerification(pending(ALICE, "hash", 0)));

    List<Future<Integer>> attempts = together(10, i -> storage.failVerification(ALICE));

    Set<Integer> counts = new HashSet<>();
    attempts.forEach(attempt -> counts.add(await(attempt)));
    assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), counts);
  }

  @Test
  void aRegistrationCodePastItsTimeIsForgottenByThePurge() throws InterruptedException {
    await(storage.putPendingVerification(new PendingVerification(ALICE, bytes("short-lived"), bytes("salt"), NOW + 100,
        1, NOW)));
    await(storage.putPendingVerification(pending(BOB, "hash", 0)));

    await(storage.purgeExpired(NOW + 100));

    // A store may also let the code's record lapse by itself once its time is up; either way it goes.
    long deadline = System.currentTimeMillis() + 5_000;
    while (await(storage.pendingVerification(ALICE)).isPresent() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(await(storage.pendingVerification(ALICE)).isEmpty());
    assertEquals(0, await(storage.failVerification(ALICE)));
    assertTrue(await(storage.pendingVerification(BOB)).isPresent(), "a code still good is kept");
  }

  @Test
  void clearPendingVerificationForgetsTheCode() {
    await(storage.putPendingVerification(pending(ALICE, "hash", 2)));
    await(storage.putPendingVerification(pending(BOB, "hash", 0)));

    await(storage.clearPendingVerification(ALICE));
    await(storage.clearPendingVerification(ALICE));

    assertTrue(await(storage.pendingVerification(ALICE)).isEmpty());
    assertEquals(0, await(storage.failVerification(ALICE)));
    assertTrue(await(storage.pendingVerification(BOB)).isPresent());
  }

  // --- helpers --------------------------------------------------------------------------------

  /** Waits (on the test thread) for a future and returns its result; fails the test if it failed. */
  protected static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the storage call failed", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the storage call did not complete", e);
    }
  }

  /** Waits for a future that must fail, and returns why. */
  protected static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the storage call did not complete", e);
    }
    return fail("the storage call succeeded");
  }

  /** Waits for a future that must be refused, and returns the refusal's reason. */
  protected static Reason refusal(Future<?> future) {
    return assertInstanceOf(StorageException.class, failure(future)).reason();
  }

  /** Waits for a future: empty when it succeeded, the reason when it was refused; a backend failure fails the test. */
  protected static Optional<Reason> outcome(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(assertInstanceOf(StorageException.class, e.getCause()).reason());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the storage call did not complete", e);
    }
  }

  /** How many futures succeeded ("ok") and how many were refused for each reason. */
  protected static Map<String, Integer> outcomes(List<? extends Future<?>> futures) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Future<?> future : futures) {
      counts.merge(outcome(future).map(Reason::name).orElse("ok"), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Makes {@code n} calls from {@code n} threads released at the same moment, and returns their
   * futures in call order.
   */
  protected static <T> List<Future<T>> together(int n, IntFunction<Future<T>> call) {
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      List<java.util.concurrent.Future<Future<T>>> started = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        started.add(threads.submit(() -> {
          ready.countDown();
          go.await();
          return call.apply(index);
        }));
      }
      ready.await();
      go.countDown();
      List<Future<T>> futures = new ArrayList<>();
      for (java.util.concurrent.Future<Future<T>> thread : started) {
        futures.add(thread.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
      for (Future<T> future : futures) {
        outcomeQuietly(future);
      }
      return futures;
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("a racing call did not complete", e);
    } finally {
      threads.shutdownNow();
    }
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  protected static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  protected static List<String> texts(List<StoredEnvelope> envelopes) {
    return envelopes.stream().map(envelope -> text(envelope.envelope())).toList();
  }

  protected static List<Long> ids(List<Device> devices) {
    return devices.stream().map(Device::deviceId).toList();
  }

  /** A device whose keys are readable labels; its timestamps are left for the storage to set. */
  protected static Device device(String number, long id) {
    return new Device(number, id, bytes("identity " + number + "/" + id), 1000 + (int) id,
        bytes("cert " + number + "/" + id), "device " + id, id == Device.PRIMARY ? "android" : "web", 0, 0);
  }

  /** A signed prekey labelled "signed LABEL" and {@code oneTime} keys labelled "one-time LABEL i". */
  protected static PreKeys preKeys(String label, int oneTime) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < oneTime; i++) {
      keys.add(bytes("one-time " + label + " " + i));
    }
    return new PreKeys(bytes("signed " + label), keys);
  }

  protected static QueuedEnvelope queued(String number, long deviceId, String content) {
    return queued(number, deviceId, content, NOW + 30L * 24 * 3600 * 1000);
  }

  protected static QueuedEnvelope queued(String number, long deviceId, String content, long expiresAt) {
    return new QueuedEnvelope(number, deviceId, bytes(content), expiresAt);
  }

  /** Registers Alice's primary (list version 1, two one-time prekeys) at {@link #NOW}. */
  protected void registerAlice() {
    register(ALICE, ALICE_KEY);
  }

  protected void register(String number, byte[] accountKey) {
    String name = number.equals(ALICE) ? "alice" : number;
    await(storage.registerPrimary(number, accountKey, bytes("list v1"), 1, device(number, 1), preKeys(name, 2), NOW));
  }

  /** Links companion {@code id} with two one-time prekeys, at {@link #NOW}. */
  protected void link(String number, byte[] accountKey, long id) {
    await(storage.addCompanion(accountKey, device(number, id), preKeys("companion " + id, 2), MAX_COMPANIONS, NOW));
  }

  private static PendingVerification pending(String number, String hash, int failedAttempts) {
    return new PendingVerification(number, bytes(hash), bytes("salt " + hash), NOW + 600_000, failedAttempts, NOW);
  }

  private static void assertSameDevice(Device expected, long createdAt, Device actual) {
    assertEquals(expected.number(), actual.number());
    assertEquals(expected.deviceId(), actual.deviceId());
    assertArrayEquals(expected.identityKey(), actual.identityKey());
    assertEquals(expected.registrationId(), actual.registrationId());
    assertArrayEquals(expected.cert(), actual.cert());
    assertEquals(expected.name(), actual.name());
    assertEquals(expected.platform(), actual.platform());
    assertEquals(createdAt, actual.createdAt());
    assertEquals(createdAt, actual.lastSeenAt());
  }

  private static void outcomeQuietly(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // The caller looks at the outcome; this only waits for it.
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("a racing call did not complete", e);
    }
  }

  // --- attachment blobs -------------------------------------------------------------------------

  private static BlobRecord blob(String id, String number, long length, long expiresAt) {
    return new BlobRecord(id, number, 1, length, 0, NOW, expiresAt);
  }

  @Test
  void aBlobIsRecordedWithinItsAccountsQuotaAndAdvancesToComplete() {
    registerAlice();
    await(storage.createBlob(blob("blob-a", ALICE, 600, NOW + 100), 1000));
    assertEquals(Reason.OVER_QUOTA, refusal(storage.createBlob(blob("blob-b", ALICE, 401, NOW + 100), 1000)));
    assertTrue(await(storage.blob("blob-b")).isEmpty(), "a refused blob leaves nothing");
    await(storage.createBlob(blob("blob-c", ALICE, 400, NOW + 100), 1000));
    assertEquals(Reason.NO_ACCOUNT, refusal(storage.createBlob(blob("blob-d", BOB, 1, NOW + 100), 1000)));

    BlobRecord half = await(storage.advanceBlob("blob-a", 0, 300, NOW + 5000));
    assertEquals(300, half.offset());
    assertEquals(NOW + 100, half.expiresAt(), "an unfinished upload keeps its short life");
    assertEquals(Reason.BLOB_OFFSET_CONFLICT, refusal(storage.advanceBlob("blob-a", 0, 100, NOW + 5000)));
    BlobRecord done = await(storage.advanceBlob("blob-a", 300, 600, NOW + 5000));
    assertTrue(done.complete());
    assertEquals(new BlobRecord("blob-a", ALICE, 1, 600, 600, NOW, NOW + 5000), await(storage.blob("blob-a")).orElseThrow());
    assertEquals(Reason.NO_BLOB, refusal(storage.advanceBlob("blob-x", 0, 1, NOW)));
  }

  @Test
  void expiredBlobsLeaveTheQuotaAndAreListedForTheSweepUntilDeleted() {
    registerAlice();
    await(storage.createBlob(blob("blob-old", ALICE, 900, NOW + 10), 1000));
    await(storage.createBlob(blob("blob-older", ALICE, 50, NOW + 5), 1000));
    BlobRecord later = new BlobRecord("blob-new", ALICE, 2, 900, 0, NOW + 20, NOW + 1000);
    await(storage.createBlob(later, 1000));
    assertEquals(List.of("blob-older", "blob-old"), await(storage.expiredBlobs(NOW + 20, 10)).stream().map(BlobRecord::id).toList());
    assertEquals(List.of("blob-older"), await(storage.expiredBlobs(NOW + 20, 1)).stream().map(BlobRecord::id).toList());
    assertTrue(await(storage.deleteBlob("blob-older")));
    assertFalse(await(storage.deleteBlob("blob-older")));
    assertTrue(await(storage.blob("blob-older")).isEmpty());
    assertEquals(List.of("blob-old"), await(storage.expiredBlobs(NOW + 20, 10)).stream().map(BlobRecord::id).toList());
  }
}
