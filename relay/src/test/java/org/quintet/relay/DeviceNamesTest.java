package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.relay.storage.Device;

/**
 * Renaming a device ({@code PUT /v1/devices/{id}/name}): a device renames itself, the primary any
 * device of its account; every connected device of the account hears of it and lists the new
 * name; what is refused changes nothing.
 */
class DeviceNamesTest {
  private static final String ALICE = "+15550310001";
  private static final String BOB = "+15550310002";

  @TempDir
  Path data;
  TestRelay relay;
  TestDevice alice;
  TestDevice bob;

  @BeforeEach
  void start() throws Exception {
    relay = TestRelay.start(data);
    alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  private static JsonObject named(Object name) {
    return new JsonObject().put("name", name);
  }

  /** The name {@code asker}'s account lists for its device {@code deviceId}. */
  private static String listedName(TestDevice asker, long deviceId) throws Exception {
    JsonArray devices = expect(asker.get("/v1/accounts/" + asker.path()), 200).getJsonArray("devices");
    return devices.stream().map(JsonObject.class::cast).filter(d -> d.getLong("deviceId") == deviceId)
        .findFirst().orElseThrow(() -> new AssertionError("device " + deviceId + " is not listed: " + devices))
        .getString("name");
  }

  private static TestDevice.Delivery connected(TestDevice device) throws Exception {
    TestDevice.Delivery inbox = device.connect();
    inbox.event("queue-empty");
    return inbox;
  }

  @Test
  void aDeviceRenamesItselfAndEveryOtherDeviceOfTheAccountHears() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice alice3 = alice.linkCompanion(3);
    TestDevice.Delivery primaryInbox = connected(alice);
    TestDevice.Delivery thirdInbox = connected(alice3);
    TestDevice.Delivery bobInbox = connected(bob);

    JsonObject answer = expect(alice2.put("/v1/devices/2/name", named("Work laptop")), 200);

    assertEquals(new JsonObject().put("deviceId", 2).put("name", "Work laptop"), answer);
    primaryInbox.event("devices-changed");
    thirdInbox.event("devices-changed");
    assertEquals("Work laptop", listedName(alice3, 2));
    assertEquals("Work laptop", listedName(alice, 2));
    assertEquals("test companion", listedName(alice, 3), "the other devices keep their names");

    expect(alice.put("/v1/devices/1/name", named("আয়েশার ফোন")), 200);
    thirdInbox.event("devices-changed");
    assertEquals("আয়েশার ফোন", listedName(alice2, 1));
    assertTrue(bobInbox.nextEvent("devices-changed", 200).isEmpty(), "another account hears nothing");
    primaryInbox.close();
    thirdInbox.close();
    bobInbox.close();
  }

  @Test
  void thePrimaryRenamesACompanionWhichHearsOfItToo() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice.Delivery companionInbox = connected(alice2);

    expect(alice.put("/v1/devices/2/name", named("Kitchen tablet")), 200);

    companionInbox.event("devices-changed");
    assertEquals("Kitchen tablet", listedName(alice2, 2));
    Device stored = await(relay.storage.device(ALICE, 2)).orElseThrow();
    assertEquals("Kitchen tablet", stored.name());
    assertEquals("test", stored.platform(), "a rename changes the name alone");
    companionInbox.close();
  }

  @Test
  void refusedRenamesChangeNothingAndRingNoDevice() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice alice3 = alice.linkCompanion(3);
    TestDevice.Delivery primaryInbox = connected(alice);
    JsonObject before = RelayState.of(relay, ALICE, BOB);

    expectError(alice2.put("/v1/devices/3/name", named("mine now")), 403, "NOT_ALLOWED");
    expectError(alice2.put("/v1/devices/1/name", named("mine now")), 403, "NOT_ALLOWED");
    for (Object bad : new Object[] {"n".repeat(65), 5, true, new JsonObject(), new JsonArray().add("laptop"), null}) {
      expectError(alice.put("/v1/devices/2/name", named(bad)), 400, "INVALID_REQUEST");
      expectError(alice2.put("/v1/devices/2/name", named(bad)), 400, "INVALID_REQUEST");
    }
    expectError(alice.put("/v1/devices/2/name", new JsonObject()), 400, "INVALID_REQUEST");
    expectError(alice.put("/v1/devices/0/name", named("zero")), 400, "INVALID_REQUEST");
    expectError(alice.put("/v1/devices/9/name", named("nobody")), 404, "UNKNOWN_DEVICE");
    expectError(bob.put("/v1/devices/2/name", named("not bob's")), 404, "UNKNOWN_DEVICE");

    assertEquals(before, RelayState.of(relay, ALICE, BOB));
    assertTrue(primaryInbox.nextEvent("devices-changed", 200).isEmpty(), "a refused rename rings no device");

    // A device that is gone is not brought back by a rename.
    expect(alice3.delete("/v1/devices/3"), 200);
    primaryInbox.event("devices-changed");
    expectError(alice.put("/v1/devices/3/name", named("back again")), 404, "UNKNOWN_DEVICE");
    assertEquals(List.of(1L, 2L), await(relay.storage.devices(ALICE)).stream().map(Device::deviceId).toList());

    // The rule of linking's names: at most 64 characters, and "" is a name.
    expect(alice.put("/v1/devices/2/name", named("n".repeat(64))), 200);
    assertEquals("n".repeat(64), listedName(alice2, 2));
    expect(alice2.put("/v1/devices/2/name", named("")), 200);
    assertEquals("", listedName(alice, 2));
    primaryInbox.close();
  }
}
