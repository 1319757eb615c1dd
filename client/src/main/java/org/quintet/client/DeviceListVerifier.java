package org.quintet.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * Checks what the relay says about an account against the account's signed device list, so that
 * a relay cannot add a device of its own to an account: every device the relay names must be in
 * the list, with exactly the identity the list gives it. Pure functions, no I/O.
 */
final class DeviceListVerifier {
  private DeviceListVerifier() {}

  /**
   * Verifies an answer's {@code deviceList} (docs/protocol.md 6.3) with the account key and the
   * last list this device accepted for the number, each null when this device knows none.
   */
  static DeviceList verifyList(String number, JsonObject answer, byte[] expectedAccountKey, byte[] lastAccepted)
      throws ProtocolException {
    byte[] bytes = bytes(answer, "deviceList", number);
    DeviceList list;
    try {
      list = DeviceList.verify(bytes, expectedAccountKey, lastAccepted);
    } catch (ProtocolException e) {
      throw new ProtocolException(e.error(), "the device list of " + number + " was refused: " + detail(e));
    }
    String claimed = answer.getString("accountKey");
    if (claimed != null && !Arrays.equals(decode(claimed, "accountKey", number), list.accountKey())) {
      throw new ProtocolException(ProtocolError.ACCOUNT_MISMATCH,
          "the relay's account key for " + number + " is not the one that signed its device list");
    }
    return list;
  }

  /**
   * The registration ids of the devices an account answer names ({@code deviceId},
   * {@code registrationId}, {@code identityKey}), each checked against the list.
   */
  static Map<Long, Integer> verifyDevices(String number, DeviceList list, JsonArray devices)
      throws ProtocolException {
    Map<Long, Integer> registrationIds = new HashMap<>();
    for (int i = 0; i < devices.size(); i++) {
      JsonObject device = object(devices, i, number);
      long id = deviceId(device, number);
      IdentityKey identity = IdentityKey.parse(bytes(device, "identityKey", number));
      requireListed(number, list, id, identity);
      registrationIds.put(id, registrationId(device, number));
    }
    return registrationIds;
  }

  /** The bundles a keys answer carries ({@code deviceId}, {@code registrationId}, {@code bundle}), each checked. */
  static Map<Long, TrustedBundle> verifyBundles(String number, DeviceList list, JsonArray devices)
      throws ProtocolException {
    Map<Long, TrustedBundle> bundles = new HashMap<>();
    for (int i = 0; i < devices.size(); i++) {
      JsonObject device = object(devices, i, number);
      long id = deviceId(device, number);
      PreKeyBundle bundle = PreKeyBundle.parse(bytes(device, "bundle", number));
      requireListed(number, list, id, bundle.identity());
      bundles.put(id, new TrustedBundle(id, registrationId(device, number), bundle));
    }
    return bundles;
  }

  private static void requireListed(String number, DeviceList list, long id, IdentityKey identity)
      throws ProtocolException {
    boolean listed = list.devices().stream().anyMatch(d -> d.id() == id && d.identity().equals(identity));
    if (!listed) {
      throw new ProtocolException(ProtocolError.UNTRUSTED_DEVICE, "the relay named device " + id + " of " + number
          + " with an identity that the account's signed device list does not give it");
    }
  }

  private static JsonObject object(JsonArray devices, int index, String number) throws ProtocolException {
    Object value = devices.getValue(index);
    if (!(value instanceof JsonObject device)) {
      throw malformed("a device entry for " + number + " is not an object");
    }
    return device;
  }

  private static long deviceId(JsonObject device, String number) throws ProtocolException {
    Object id = device.getValue("deviceId");
    if (!(id instanceof Number n) || n.longValue() < 1 || n.longValue() > 0xFFFF_FFFFL) {
      throw malformed("a device entry for " + number + " has no valid deviceId");
    }
    return n.longValue();
  }

  private static int registrationId(JsonObject device, String number) throws ProtocolException {
    Object id = device.getValue("registrationId");
    if (!(id instanceof Number n) || n.longValue() < 1 || n.longValue() > Integer.MAX_VALUE) {
      throw malformed("a device entry for " + number + " has no valid registrationId");
    }
    return n.intValue();
  }

  private static byte[] bytes(JsonObject object, String field, String number) throws ProtocolException {
    Object value = object.getValue(field);
    if (!(value instanceof String text)) {
      throw malformed("the relay's answer about " + number + " lacks \"" + field + "\"");
    }
    return decode(text, field, number);
  }

  private static byte[] decode(String text, String field, String number) throws ProtocolException {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed("\"" + field + "\" in the relay's answer about " + number + " is not base64");
    }
  }

  /** The exception's message without the error code it starts with. */
  static String detail(ProtocolException e) {
    String prefix = e.error() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static ProtocolException malformed(String detail) {
    return new ProtocolException(ProtocolError.MALFORMED, detail);
  }
}
