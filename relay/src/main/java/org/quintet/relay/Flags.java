package org.quintet.relay;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The few flags of {@code serve}: each takes one value, but a switch may stand alone (meaning true). */
final class Flags {
  private static final Set<String> KNOWN = Set.of("--port", "--data", "--config", "--host", "--redis", "--relay-key",
      "--require-durable-redis", "--tls", "--tls-cert", "--tls-key", "--tls-names", "--tls-redirect-port",
      "--metrics-enabled", "--metrics-port", "--metrics-host", "--log-format", "--trusted-proxies", "--blobs-store",
      "--blobs-dir", "--blobs-s3-endpoint", "--blobs-s3-bucket");
  private static final Set<String> SWITCHES = Set.of("--tls");

  private Flags() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String given = args[i];
      String flag = given;
      String value = null;
      int equals = flag.indexOf('=');
      if (equals > 0) {
        value = flag.substring(equals + 1);
        flag = flag.substring(0, equals);
      } else if (SWITCHES.contains(flag)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      }
      if (!KNOWN.contains(flag)) {
        throw new IllegalArgumentException("unknown option: " + given);
      }
      if (value == null) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      flags.put(flag, value);
    }
    return flags;
  }

  static boolean bool(String value, String name) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(name + " must be true or false, not \"" + value + "\"");
    }
    return Boolean.parseBoolean(value);
  }

  static int integer(String value, String name) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not \"" + value + "\"");
    }
  }
}
