package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

class DeviceListVerifierTest {
  private final TestAccount bob = new TestAccount("+8801811000002", 3);
  private final TestAccount mallory = new TestAccount("+8801911000003", 1);

  private static ProtocolError refusal(Executable action) {
    return assertThrows(ProtocolException.class, action::run).error();
  }

  interface Executable {
    void run() throws Exception;
  }

  @Test
  void acceptsWhatTheSignedListVouchesFor() throws Exception {
    byte[] list = bob.list(2, 1, 2);
    JsonObject answer = bob.accountAnswer(list, 1, 2);
    DeviceList verified = DeviceListVerifier.verifyList(bob.number, answer, null, null);
    assertEquals(Map.of(1L, 1001, 2L, 1002),
        DeviceListVerifier.verifyDevices(bob.number, verified, answer.getJsonArray("devices")));
    JsonObject keys = bob.keysAnswer(list, 2, bob, 2);
    assertEquals(bob.devices.get(2L).publicKey(), DeviceListVerifier.verifyBundles(bob.number, verified,
        keys.getJsonArray("devices")).get(2L).bundle().identity());
    // The same list again, and a newer one, are accepted after it.
    DeviceListVerifier.verifyList(bob.number, answer, bob.accountKey(), list);
    DeviceListVerifier.verifyList(bob.number, bob.accountAnswer(bob.list(3, 1, 2, 3)),
        bob.accountKey(), list);
  }

  @Test
  void aBundleWhoseIdentityIsNotTheListedOneIsRefused() throws Exception {
    byte[] list = bob.list(2, 1, 2);
    DeviceList verified = DeviceListVerifier.verifyList(bob.number, bob.accountAnswer(list), null, null);
    // The relay hands out its own (validly self-signed) bundle as Bob's device 2.
    JsonArray forged = bob.keysAnswer(list, 2, mallory, 1).getJsonArray("devices");
    assertEquals(ProtocolError.UNTRUSTED_DEVICE,
        refusal(() -> DeviceListVerifier.verifyBundles(bob.number, verified, forged)));
    // Or as a device the list does not hold at all.
    JsonArray extra = bob.keysAnswer(list, 3, bob, 3).getJsonArray("devices");
    assertEquals(ProtocolError.UNTRUSTED_DEVICE,
        refusal(() -> DeviceListVerifier.verifyBundles(bob.number, verified, extra)));
  }

  @Test
  void aDeviceEntryWithAnotherIdentityIsRefused() throws Exception {
    byte[] list = bob.list(2, 1, 2);
    JsonObject answer = bob.accountAnswer(list, 1, 2);
    answer.getJsonArray("devices").getJsonObject(1)
        .put("identityKey", TestAccount.b64(mallory.primary().publicKey().encode()));
    DeviceList verified = DeviceListVerifier.verifyList(bob.number, answer, null, null);
    assertEquals(ProtocolError.UNTRUSTED_DEVICE,
        refusal(() -> DeviceListVerifier.verifyDevices(bob.number, verified, answer.getJsonArray("devices"))));
    JsonObject unlisted = bob.accountAnswer(list, 1, 3);
    assertEquals(ProtocolError.UNTRUSTED_DEVICE,
        refusal(() -> DeviceListVerifier.verifyDevices(bob.number, verified, unlisted.getJsonArray("devices"))));
  }

  @Test
  void rollbackAndSubstitutionAreRefused() {
    byte[] older = bob.list(2, 1, 2, 3);
    byte[] newer = bob.list(3, 1, 2);
    assertEquals(ProtocolError.STALE_LIST, refusal(() ->
        DeviceListVerifier.verifyList(bob.number, bob.accountAnswer(older), bob.accountKey(), newer)));
    byte[] conflicting = bob.list(3, 1, 3);
    assertEquals(ProtocolError.CONFLICTING_LIST, refusal(() ->
        DeviceListVerifier.verifyList(bob.number, bob.accountAnswer(conflicting), bob.accountKey(), newer)));
    // Another account's list, validly signed by that account, offered as Bob's.
    assertEquals(ProtocolError.ACCOUNT_MISMATCH, refusal(() -> DeviceListVerifier.verifyList(bob.number,
        mallory.accountAnswer(mallory.list(5, 1)), bob.accountKey(), newer)));
    // An answer whose account key is not the list's signer.
    JsonObject mixed = bob.accountAnswer(newer).put("accountKey", TestAccount.b64(mallory.accountKey()));
    assertEquals(ProtocolError.ACCOUNT_MISMATCH,
        refusal(() -> DeviceListVerifier.verifyList(bob.number, mixed, null, null)));
  }

  @Test
  void aTamperedOrMissingListIsRefused() {
    byte[] list = bob.list(2, 1, 2);
    list[list.length - 1] ^= 1;
    assertEquals(ProtocolError.BAD_SIGNATURE,
        refusal(() -> DeviceListVerifier.verifyList(bob.number, bob.accountAnswer(list), null, null)));
    JsonObject missing = bob.accountAnswer(bob.list(2, 1));
    missing.remove("deviceList");
    assertEquals(ProtocolError.MALFORMED,
        refusal(() -> DeviceListVerifier.verifyList(bob.number, missing, null, null)));
  }
}
