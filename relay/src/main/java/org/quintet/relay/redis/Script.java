package org.quintet.relay.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script with the SHA-1 that EVALSHA names it by. Each script is a file of its own,
 * {@code lua/NAME.lua} on the class path, that declares the keys it touches in {@code KEYS} and
 * names its arguments at the top; the caller passes the keys explicitly ({@link RedisLink#eval}).
 * Helpers that several scripts share are preludes, {@code lua/lib/NAME.lua}, put before the script.
 */
public record Script(String name, String source, String sha) {

  /** The script {@code lua/NAME.lua}, after the preludes {@code lua/lib/PRELUDE.lua} in this order. */
  public static Script load(String name, String... preludes) {
    StringBuilder source = new StringBuilder();
    for (String prelude : preludes) {
      source.append(resource("lua/lib/" + prelude + ".lua"));
    }
    source.append(resource("lua/" + name + ".lua"));
    return new Script(name, source.toString(), sha1(source.toString()));
  }

  private static String resource(String path) {
    try (InputStream in = Script.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the relay's jar has no " + path);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("reading " + path + " failed", e);
    }
  }

  private static String sha1(String source) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
