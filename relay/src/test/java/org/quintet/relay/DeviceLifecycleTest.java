package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.X3dh;
import org.quintet.relay.storage.Device;

/** Companions coming and going, the signed device list, and prekeys. */
class DeviceLifecycleTest {
  private static final String ALICE = "+15550300001";
  private static final String BOB = "+15550300002";

  @TempDir
  Path data;
  TestRelay relay;
  TestDevice alice;
  TestDevice bob;

  @BeforeEach
  void start() throws Exception {
    // Bundles are fetched here far more often than a person would: how many is AbuseLimitsTest's.
    relay = TestRelay.start(data, new JsonObject().put("rateLimits", new JsonObject()
        .put("preKeyFetchesPerTarget", new JsonObject().put("bucketSize", 1000).put("refillSeconds", 600))));
    alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  private List<Long> registeredIds(String number) throws Exception {
    return await(relay.storage.devices(number)).stream().map(Device::deviceId).toList();
  }

  private List<Long> listedIds(TestDevice asker, TestDevice account) throws Exception {
    return expect(asker.get("/v1/accounts/" + account.path()), 200).getJsonArray("devices").stream()
        .map(d -> ((JsonObject) d).getLong("deviceId")).toList();
  }

  // --- removing devices -------------------------------------------------------------------------

  @Test
  void aCompanionRemovesItself() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice alice3 = alice.linkCompanion(3);
    TestDevice.Delivery primaryInbox = alice.connect();
    TestDevice.Delivery inbox = alice2.connect();
    primaryInbox.event("queue-empty");
    inbox.event("queue-empty");
    expect(bob.send("for all of alice", alice, alice2, alice3), 200);
    inbox.envelope();
    assertEquals(1, relay.queueSize(ALICE, 2));

    expect(alice2.delete("/v1/devices/2"), 200);

    assertEquals(4001, inbox.closeCode());
    assertEquals("logged-out", inbox.closeReason);
    primaryInbox.event("devices-changed");
    expectError(alice2.get("/v1/keys/count"), 401, "DEVICE_GONE");
    expectError(alice2.post("/v1/auth/token", alice2.loginRequest(), false), 401, "UNKNOWN_DEVICE");
    assertEquals(0, relay.queueSize(ALICE, 2), "its queue is deleted");
    assertEquals(0, relay.oneTimePreKeys(ALICE, 2), "and its prekeys");
    assertEquals(1, relay.queueSize(ALICE, 3), "the other devices keep theirs");
    assertEquals(List.of(1L, 3L), registeredIds(ALICE));
    assertEquals(List.of(1L, 3L), listedIds(bob, alice), "the signed list still names it, the relay does not");

    // Senders need not (and may not) name it any more; its id is not given out again.
    expect(bob.send("without 2", alice, alice3), 200);
    JsonObject refused = expectError(bob.send("with 2", alice, alice2, alice3), 409, "DEVICE_MISMATCH");
    assertEquals(new JsonArray().add(2), refused.getJsonArray("mismatches").getJsonObject(0).getJsonArray("extra"));
    TestDevice again = alice.newCompanion();
    expectError(again.link(alice.certify(again, 2)), 409, "DEVICE_ID_TAKEN");
    alice.removeFromList(2);
    assertEquals(List.of(1L, 3L), listedIds(bob, alice));
    primaryInbox.close();
  }

  @Test
  void thePrimaryRemovesACompanion() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice.Delivery inbox = alice2.connect();
    inbox.event("queue-empty");
    expect(bob.send("for alice", alice, alice2), 200);
    inbox.envelope();

    expect(alice.delete("/v1/devices/2"), 200);

    assertEquals(4001, inbox.closeCode());
    assertEquals("removed", inbox.closeReason);
    expectError(alice2.get("/v1/keys/count"), 401, "DEVICE_GONE");
    assertEquals(0, relay.queueSize(ALICE, 2));
    assertEquals(List.of(1L), registeredIds(ALICE));
    expectError(alice.delete("/v1/devices/2"), 404, "UNKNOWN_DEVICE");
  }

  @Test
  void aCompanionRemovesNoOtherDevice() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    alice.linkCompanion(3);
    JsonObject before = RelayState.of(relay, ALICE);

    expectError(alice2.delete("/v1/devices/3"), 403, "NOT_ALLOWED");
    expectError(alice2.delete("/v1/devices/1"), 400, "CANNOT_REMOVE_PRIMARY");
    expectError(alice.delete("/v1/devices/1"), 400, "CANNOT_REMOVE_PRIMARY");
    expectError(alice.delete("/v1/devices/9"), 404, "UNKNOWN_DEVICE");
    expectError(bob.delete("/v1/devices/2"), 404, "UNKNOWN_DEVICE");

    assertEquals(before, RelayState.of(relay, ALICE));
    expect(alice2.get("/v1/keys/count"), 200);
  }

  // --- linking ----------------------------------------------------------------------------------

  @Test
  void linkRefusals() throws Exception {
    TestDevice.Delivery primaryInbox = alice.connect();
    primaryInbox.event("queue-empty");
    TestDevice companion = alice.newCompanion();
    TestDevice stranger = alice.newCompanion();
    DeviceCert good = alice.certify(companion, 2);
    JsonObject before = RelayState.of(relay, ALICE, BOB);

    expectError(companion.link(bob.certify(companion, 2)), 400, "INVALID_CERT");
    expectError(companion.link(alice.certify(companion, 3)), 409, "DEVICE_ID_TAKEN");
    expectError(companion.link(alice.certify(companion, 1)), 400, "INVALID_CERT");
    expectError(companion.link(DeviceCert.issue(alice.identity, 2, companion.identity.publicKey(), 1)), 400,
        "INVALID_CERT");
    expectError(stranger.link(good), 400, "INVALID_REQUEST"); // its signed prekey is not the certified identity's
    byte[] tampered = good.encode();
    tampered[120] ^= 1; // in the account signature
    expectError(companion.post("/v1/devices/link", companion.linkRequest(good).put("cert", b64(tampered)), false),
        400, "INVALID_CERT");
    // A number without an account: the same refusal, so the route tells nobody which numbers are registered.
    expectError(companion.post("/v1/devices/link", companion.linkRequest(good).put("number", "+15550309999"), false),
        400, "INVALID_CERT");
    assertEquals(before, RelayState.of(relay, ALICE, BOB));

    JsonObject request = companion.linkRequest(good);
    assertEquals(2, expect(companion.post("/v1/devices/link", request, false), 200).getLong("deviceId"));
    primaryInbox.event("devices-changed");
    expectError(companion.post("/v1/devices/link", request, false), 409, "DEVICE_ID_TAKEN");
    assertEquals(List.of(1L, 2L), registeredIds(ALICE));
    assertEquals(3, await(relay.storage.account(ALICE)).orElseThrow().nextDeviceId());

    alice.linkCompanion(3);
    alice.linkCompanion(4);
    alice.linkCompanion(5);
    TestDevice fifth = alice.newCompanion();
    JsonObject full = RelayState.of(relay, ALICE);
    expectError(fifth.link(alice.certify(fifth, 6)), 403, "TOO_MANY_DEVICES");
    assertEquals(full, RelayState.of(relay, ALICE));
    primaryInbox.close();
  }

  @Test
  void racingLinksAdmitExactlyAsManyAsAllowed() throws Exception {
    // Six companions certified as device 2 at once: one gets it.
    List<TestDevice> companions = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> links = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      TestDevice companion = alice.newCompanion();
      companions.add(companion);
      links.add(companion.postAsync("/v1/devices/link", companion.linkRequest(alice.certify(companion, 2)), false));
    }
    TestDevice admitted = null;
    for (int i = 0; i < links.size(); i++) {
      HttpResponse<Buffer> response = await(links.get(i));
      if (response.statusCode() == 200) {
        assertEquals(null, admitted, "one device 2 only");
        admitted = companions.get(i);
      } else {
        expectError(response, 409, "DEVICE_ID_TAKEN");
      }
    }
    assertTrue(admitted != null);
    assertEquals(List.of(1L, 2L), registeredIds(ALICE));
    assertArrayEquals(admitted.identity.publicKey().encode(),
        await(relay.storage.device(ALICE, 2)).orElseThrow().identityKey());

    alice.linkCompanion(3);
    alice.linkCompanion(4);
    // Three companions now, one place left: six racing for ids 5 and 6.
    links.clear();
    for (int i = 0; i < 6; i++) {
      TestDevice companion = alice.newCompanion();
      links.add(companion.postAsync("/v1/devices/link",
          companion.linkRequest(alice.certify(companion, 5 + i % 2)), false));
    }
    int ok = 0;
    for (Future<HttpResponse<Buffer>> link : links) {
      HttpResponse<Buffer> response = await(link);
      if (response.statusCode() == 200) {
        ok++;
        assertEquals(5, response.bodyAsJsonObject().getLong("deviceId"));
      } else {
        String code = response.bodyAsJsonObject().getString("error");
        assertTrue(Set.of("DEVICE_ID_TAKEN", "TOO_MANY_DEVICES").contains(code), code);
      }
    }
    assertEquals(1, ok, "exactly the one place left was taken");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), registeredIds(ALICE));
    assertEquals(6, await(relay.storage.account(ALICE)).orElseThrow().nextDeviceId());
  }

  // --- the signed device list -------------------------------------------------------------------

  @Test
  void deviceListUploadRefusals() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice unlisted = alice.linkUnlisted(3);
    assertEquals(2, alice.listVersion);
    List<DeviceCert> current = List.copyOf(alice.listCerts);
    DeviceCert primaryCert = current.get(0);
    TestDevice.Delivery companionInbox = alice2.connect();
    companionInbox.event("queue-empty");
    TestDevice impostor = alice.newCompanion();
    JsonObject before = RelayState.of(relay, ALICE);

    expectError(alice2.putList(alice.signList(3, current), 2), 403, "NOT_PRIMARY");
    JsonObject stale = expectError(alice.putList(alice.signList(1, List.of(primaryCert)), 2), 400,
        "INVALID_DEVICE_LIST");
    assertEquals("STALE_LIST", stale.getString("reason"));
    JsonObject conflicting = expectError(alice.putList(alice.signList(2, List.of(primaryCert)), 2), 400,
        "INVALID_DEVICE_LIST");
    assertEquals("CONFLICTING_LIST", conflicting.getString("reason"));
    JsonObject foreign = expectError(alice.putList(bob.signList(3, List.of(bob.listCerts.get(0))), 2), 400,
        "INVALID_DEVICE_LIST");
    assertEquals("ACCOUNT_MISMATCH", foreign.getString("reason"));
    byte[] forged = alice.signList(3, current);
    forged[forged.length - 1] ^= 1;
    assertEquals("BAD_SIGNATURE", expectError(alice.putList(forged, 2), 400, "INVALID_DEVICE_LIST")
        .getString("reason"));
    assertEquals("NO_PRIMARY", expectError(alice.putList(alice.signList(3, List.of(current.get(1))), 2), 400,
        "INVALID_DEVICE_LIST").getString("reason"));
    expectError(alice.putList(alice.signList(3, List.of(primaryCert, current.get(1), alice.certify(unlisted, 3),
        alice.certify(alice.newCompanion(), 4))), 2), 400, "UNKNOWN_DEVICE_IN_LIST");
    expectError(alice.putList(alice.signList(3, List.of(primaryCert, alice.certify(impostor, 2))), 2), 400,
        "UNKNOWN_DEVICE_IN_LIST");
    expectError(alice.putList(alice.signList(3, current), 1), 409, "LIST_VERSION_CONFLICT");
    expectError(alice.putList(alice.signList(3, current), 3), 409, "LIST_VERSION_CONFLICT");

    assertEquals(before, RelayState.of(relay, ALICE));
    assertTrue(companionInbox.nextEvent("devices-changed", 100).isEmpty());

    // The right upload: device 3 signed in, version 3.
    alice.addToList(unlisted, 3);
    assertEquals(3, alice.listVersion);
    companionInbox.event("devices-changed");
    JsonObject account = expect(bob.get("/v1/accounts/" + alice.path()), 200);
    assertEquals(3, account.getLong("deviceListVersion"));
    DeviceList list = DeviceList.verify(TestDevice.unb64(account.getString("deviceList")),
        alice.identity.signing().publicKey(), null);
    assertEquals(List.of(1L, 2L, 3L), list.devices().stream().map(DeviceList.Device::id).toList());
    assertEquals(List.of(1L, 2L, 3L), listedIds(bob, alice));
    companionInbox.close();
  }

  // --- prekeys ----------------------------------------------------------------------------------

  @Test
  void preKeysAreUploadedCountedAndEachHandedOutOnce() throws Exception {
    assertEquals(20, expect(bob.get("/v1/keys/count"), 200).getInteger("oneTimePreKeys"));
    JsonObject upload = new JsonObject().put("oneTimePreKeys", bob.oneTimePreKeys(30, 101));
    assertEquals(50, expect(bob.put("/v1/keys", upload), 200).getInteger("oneTimePreKeys"));
    assertEquals(50, relay.oneTimePreKeys(BOB, 1));

    JsonObject tooMany = new JsonObject().put("oneTimePreKeys", bob.oneTimePreKeys(101, 1001));
    expectError(bob.put("/v1/keys", tooMany), 400, "INVALID_REQUEST");
    for (int i = 0; i < 4; i++) {
      expect(bob.put("/v1/keys", new JsonObject().put("oneTimePreKeys", bob.oneTimePreKeys(100, 2001 + 100 * i))),
          200);
    }
    assertEquals(450, relay.oneTimePreKeys(BOB, 1));
    expectError(bob.put("/v1/keys", new JsonObject().put("oneTimePreKeys", bob.oneTimePreKeys(51, 3001))), 400,
        "TOO_MANY_PREKEYS");
    assertEquals(450, relay.oneTimePreKeys(BOB, 1));
    assertEquals(500, expect(bob.put("/v1/keys", new JsonObject()
        .put("oneTimePreKeys", bob.oneTimePreKeys(50, 4001))), 200).getInteger("oneTimePreKeys"));

    // A new signed prekey, no one-time ones: the bundles carry it.
    JsonObject rotated = bob.preKeys(2, 0, 1);
    assertEquals(500, expect(bob.put("/v1/keys", rotated), 200).getInteger("oneTimePreKeys"));
    JsonObject keys = expect(alice.get("/v1/keys/" + bob.path()), 200);
    PreKeyBundle bundle = PreKeyBundle.parse(TestDevice.unb64(keys.getJsonArray("devices").getJsonObject(0)
        .getString("bundle")));
    assertEquals(2, bundle.signedPreKey().id());
    assertArrayEquals(TestDevice.unb64(rotated.getString("signedPreKey")), bundle.signedPreKey().encode());
    assertEquals(499, expect(bob.get("/v1/keys/count"), 200).getInteger("oneTimePreKeys"));
  }

  @Test
  void concurrentBundleFetchesNeverShareAOneTimePreKey() throws Exception {
    TestDevice.Delivery inbox = bob.connect();
    inbox.event("queue-empty");
    List<Future<HttpResponse<Buffer>>> fetches = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fetches.add(alice.http.getAbs(alice.url + "/v1/keys/" + bob.path()).bearerTokenAuthentication(alice.token)
          .send());
    }
    Set<Long> handedOut = new HashSet<>();
    for (Future<HttpResponse<Buffer>> fetch : fetches) {
      PreKeyBundle bundle = bundleOf(expect(await(fetch), 200));
      assertTrue(handedOut.add(bundle.oneTimePreKey().orElseThrow().id()), "handed out twice");
    }
    assertEquals(10, relay.oneTimePreKeys(BOB, 1));
    assertTrue(inbox.nextEvent("prekeys-low", 200).isEmpty(), "10 left is not low");

    PreKeyBundle eleventh = bundleOf(expect(alice.get("/v1/keys/" + bob.path() + "/1"), 200));
    assertTrue(handedOut.add(eleventh.oneTimePreKey().orElseThrow().id()));
    assertEquals(9, inbox.event("prekeys-low").getInteger("count"));

    fetches.clear();
    for (int i = 0; i < 12; i++) {
      fetches.add(alice.http.getAbs(alice.url + "/v1/keys/" + bob.path()).bearerTokenAuthentication(alice.token)
          .send());
    }
    int without = 0;
    for (Future<HttpResponse<Buffer>> fetch : fetches) {
      PreKeyBundle bundle = bundleOf(expect(await(fetch), 200));
      if (bundle.oneTimePreKey().isPresent()) {
        assertTrue(handedOut.add(bundle.oneTimePreKey().get().id()), "handed out twice");
      } else {
        without++;
      }
      assertArrayEquals(bob.identity.publicKey().encode(), bundle.identity().encode());
    }
    assertEquals(3, without, "20 one-time prekeys, 23 bundles");
    assertEquals(20, handedOut.size());
    assertEquals(0, relay.oneTimePreKeys(BOB, 1));
    // A bundle without a one-time prekey still sets up a session.
    X3dh.initiate(KeySource.secure(), alice.identity, bundleOf(expect(alice.get("/v1/keys/" + bob.path()), 200)));
    inbox.close();
  }

  @Test
  void aDeviceFetchesBundlesOfItsOwnOtherDevicesOnly() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    JsonObject own = expect(alice.get("/v1/keys/" + alice.path()), 200);
    assertEquals(1, own.getJsonArray("devices").size());
    assertEquals(2, own.getJsonArray("devices").getJsonObject(0).getLong("deviceId"));
    assertEquals(alice2.registrationId, own.getJsonArray("devices").getJsonObject(0).getInteger("registrationId"));
    assertEquals(b64(alice.identity.signing().publicKey()), own.getString("accountKey"));
    expectError(alice.get("/v1/keys/" + alice.path() + "/1"), 404, "UNKNOWN_DEVICE");
    assertNotEquals(0, relay.oneTimePreKeys(ALICE, 1));
  }

  private static PreKeyBundle bundleOf(JsonObject keys) throws Exception {
    return PreKeyBundle.parse(TestDevice.unb64(keys.getJsonArray("devices").getJsonObject(0).getString("bundle")));
  }
}
