package org.quintet.relay;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A configuration's JSON read by dotted path ({@code limits.maxCompanions}), where a missing or
 * mistyped value is an {@link IllegalArgumentException} that names the setting.
 */
final class Settings {
  /** conf/quintet.json, copied into the jar by the build. */
  private static final String DEFAULTS = "conf/quintet.json";

  private final JsonObject json;

  Settings(JsonObject json) {
    this.json = json;
  }

  /** A fresh copy of the defaults the jar carries. */
  static JsonObject defaults() {
    try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("the relay's jar has no " + DEFAULTS);
      }
      return new JsonObject(new String(in.readAllBytes(), UTF_8));
    } catch (IOException | DecodeException e) {
      throw new IllegalStateException("the relay's " + DEFAULTS + " cannot be read", e);
    }
  }

  String text(String path) {
    return required(path, optionalText(path));
  }

  String optionalText(String path) {
    Object value = value(path);
    if (value != null && !(value instanceof String)) {
      throw invalid(path, "must be a string");
    }
    return (String) value;
  }

  int integer(String path) {
    Object value = required(path, value(path));
    if (!(value instanceof Number number) || number.doubleValue() != number.intValue()) {
      throw invalid(path, "must be an integer");
    }
    return number.intValue();
  }

  /** An integer, or null when the setting is null (e.g. a listener that is off by default). */
  Integer optionalInteger(String path) {
    return value(path) == null ? null : integer(path);
  }

  boolean bool(String path) {
    if (!(required(path, value(path)) instanceof Boolean flag)) {
      throw invalid(path, "must be true or false");
    }
    return flag;
  }

  List<String> textList(String path) {
    Object value = required(path, value(path));
    if (!(value instanceof JsonArray array)) {
      throw invalid(path, "must be a list of strings");
    }
    List<String> texts = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw invalid(path, "must be a list of strings");
      }
      texts.add(text);
    }
    return List.copyOf(texts);
  }

  private Object value(String path) {
    Object value = json;
    for (String name : path.split("\\.")) {
      if (!(value instanceof JsonObject section)) {
        throw invalid(path, "is inside something that is not an object");
      }
      value = section.getValue(name);
    }
    return value;
  }

  private static <T> T required(String path, T value) {
    if (value == null) {
      throw invalid(path, "must be set");
    }
    return value;
  }

  private static IllegalArgumentException invalid(String path, String what) {
    return new IllegalArgumentException("invalid configuration: " + path + " " + what);
  }
}
