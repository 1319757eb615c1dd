package org.quintet.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * The plaintexts of linking (docs/linking.md, "Payloads"): the provisioning payload the primary
 * seals to the companion (QR) or puts in its code reply, {@code {"v":1,"number","accountKey",
 * "deviceId","cert"}}, and the companion's confirmation {@code {"v":1,"cert"}}. Base64 values.
 */
final class LinkPayloads {
  private static final int VERSION = 1;

  private LinkPayloads() {}

  /** What the primary tells a companion: the account, its id and the account's half of its certificate. */
  record Provisioning(String number, byte[] accountKey, long deviceId, DeviceCert cert) {}

  static byte[] provisioning(String number, DeviceCert issued) {
    Base64.Encoder base64 = Base64.getEncoder();
    return bytes(new JsonObject().put("v", VERSION).put("number", number)
        .put("accountKey", base64.encodeToString(issued.accountKey())).put("deviceId", issued.deviceId())
        .put("cert", base64.encodeToString(issued.encode())));
  }

  static Provisioning parseProvisioning(byte[] plaintext) throws ProtocolException {
    JsonObject payload = object(plaintext, "provisioning payload");
    Object deviceId = payload.getValue("deviceId");
    if (!(payload.getValue("number") instanceof String number) || !Envelope.isNumber(number)
        || !(deviceId instanceof Integer || deviceId instanceof Long)) {
      throw malformed("the provisioning payload lacks its number or device id");
    }
    return new Provisioning(number, base64(payload, "accountKey"), ((Number) deviceId).longValue(),
        DeviceCert.parse(base64(payload, "cert")));
  }

  static byte[] confirmation(DeviceCert counterSigned) {
    return bytes(new JsonObject().put("v", VERSION)
        .put("cert", Base64.getEncoder().encodeToString(counterSigned.encode())));
  }

  static DeviceCert parseConfirmation(byte[] plaintext) throws ProtocolException {
    return DeviceCert.parse(base64(object(plaintext, "confirmation"), "cert"));
  }

  private static byte[] bytes(JsonObject json) {
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject object(byte[] plaintext, String what) throws ProtocolException {
    JsonObject json;
    try {
      json = new JsonObject(new String(plaintext, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw malformed("the " + what + " is not a JSON object");
    }
    if (!Integer.valueOf(VERSION).equals(json.getValue("v"))) {
      throw new ProtocolException(ProtocolError.UNSUPPORTED_VERSION, what + " version " + json.getValue("v"));
    }
    return json;
  }

  /** A base64 field of a linking payload, frame or event; anything else is {@code MALFORMED}. */
  static byte[] base64(JsonObject json, String field) throws ProtocolException {
    if (!(json.getValue(field) instanceof String text)) {
      throw malformed("a linking message lacks \"" + field + "\"");
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed("a linking message's \"" + field + "\" is not base64");
    }
  }

  private static ProtocolException malformed(String detail) {
    return new ProtocolException(ProtocolError.MALFORMED, detail);
  }
}
