package org.quintet.relay.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.quintet.protocol.Envelope;
import org.quintet.relay.RelayLimits;

/** Strict reading of request fields: anything missing, mistyped or out of range is a 400. */
public final class Fields {
  private Fields() {}

  public static JsonObject body(io.vertx.ext.web.RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw ApiException.invalid("the request needs a JSON object body");
      }
      return body;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw ApiException.invalid("the body is not a JSON object");
    }
  }

  public static String number(JsonObject json, String field) {
    return number(string(json, field));
  }

  public static String number(String value) {
    if (!Envelope.isNumber(value)) {
      throw new ApiException(ApiError.INVALID_NUMBER, "a number is + and 6 to 15 digits (E.164)");
    }
    return value;
  }

  /** A device id in a path: an integer 1..2^32-1 ({@link Integers#parse}). */
  public static long deviceId(String text) {
    return Integers.parse(text, 1, 0xFFFF_FFFFL, "a device id");
  }

  public static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text)) {
      throw ApiException.invalid("\"" + field + "\" must be a string");
    }
    return text;
  }

  public static String text(JsonObject json, String field, int maxLength) {
    Object value = json.getValue(field);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String text) || text.length() > maxLength) {
      throw ApiException.invalid("\"" + field + "\" must be a string of at most " + maxLength + " characters");
    }
    return text;
  }

  /**
   * A device's name, as registering, linking and renaming read it: a string of at most
   * {@link RelayLimits#MAX_DEVICE_NAME_CHARS} characters; "" when absent.
   */
  public static String deviceName(JsonObject json) {
    return text(json, "name", RelayLimits.MAX_DEVICE_NAME_CHARS);
  }

  /** A field that is an integer in {@code min..max} ({@link Integers#of}). */
  public static long integer(JsonObject json, String field, long min, long max) {
    return Integers.of(json.getValue(field), min, max, "\"" + field + "\"");
  }

  public static byte[] bytes(JsonObject json, String field, int minLength, int maxLength) {
    return decode(string(json, field), field, minLength, maxLength);
  }

  public static byte[] bytes(JsonObject json, String field, int exactLength) {
    return bytes(json, field, exactLength, exactLength);
  }

  public static List<byte[]> byteList(JsonObject json, String field, int exactLength, int maxItems) {
    Object value = json.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > maxItems) {
      throw ApiException.invalid("\"" + field + "\" must be an array of at most " + maxItems + " items");
    }
    List<byte[]> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String item)) {
        throw ApiException.invalid("\"" + field + "\"[" + i + "] must be a base64 string");
      }
      out.add(decode(item, field + "[" + i + "]", exactLength, exactLength));
    }
    return out;
  }

  public static JsonArray array(JsonObject json, String field, int maxItems) {
    Object value = json.getValue(field);
    if (!(value instanceof JsonArray array) || array.size() > maxItems) {
      throw ApiException.invalid("\"" + field + "\" must be an array of at most " + maxItems + " items");
    }
    return array;
  }

  public static JsonObject object(Object value, String what) {
    if (!(value instanceof JsonObject object)) {
      throw ApiException.invalid(what + " must be an object");
    }
    return object;
  }

  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] decode(String text, String field, int minLength, int maxLength) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("\"" + field + "\" is not base64");
    }
    if (bytes.length < minLength || bytes.length > maxLength) {
      throw ApiException.invalid("\"" + field + "\" must be " + (minLength == maxLength ? minLength
          : minLength + ".." + maxLength) + " bytes");
    }
    return bytes;
  }
}
