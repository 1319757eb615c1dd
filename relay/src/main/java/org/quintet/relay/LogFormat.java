package org.quintet.relay;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the relay writes its log: {@code plain} lines for a person at a terminal (the pattern of
 * {@code logback.xml}), or {@code json}, one object per line for a log collector, written by
 * logback's own JSON encoder (docs/operations.md shows a line).
 */
public enum LogFormat {
  PLAIN,
  JSON;

  /** The setting's value, {@code plain} or {@code json}. */
  public String setting() {
    return name().toLowerCase(Locale.ROOT);
  }

  static LogFormat parse(String setting) {
    return Arrays.stream(values()).filter(format -> format.setting().equals(setting)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("invalid configuration: log.format must be \"plain\" or "
            + "\"json\", not \"" + setting + "\""));
  }

  /** Makes the log this format from now on ({@link JsonLogs}); plain is how it starts. */
  public void install() {
    if (this == JSON) {
      JsonLogs.install();
    }
  }
}
