package org.quintet.relay.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of the Lua scripts (docs/storage.md, "Atomicity"): a script touches the keys it is
 * given in KEYS, and only the three named there derive more keys, from the number's prefix.
 */
class ScriptsTest {
  /** The scripts docs/storage.md names as the one exception. */
  private static final Set<String> DERIVING = Set.of("register_primary", "devices", "purge_expired");
  private static final Pattern DECLARED_KEY = Pattern.compile("^local \\w+Key = KEYS\\[\\d+]", Pattern.MULTILINE);
  /** A key name built in the script: a literal key, or a string glued onto a key given in KEYS. */
  private static final Pattern BUILT_KEY = Pattern.compile("'q:|KEYS\\[[^]]*]\\s*\\.\\.|Key\\s*\\.\\.");

  @Test
  void everyScriptDeclaresItsKeysAndOnlyTheNamedOnesDeriveMore() throws IOException, URISyntaxException {
    Map<String, String> scripts = scripts();
    assertTrue(scripts.size() >= 15, "the scripts were found: " + scripts.keySet());

    Set<String> deriving = new TreeSet<>();
    scripts.forEach((name, source) -> {
      assertTrue(DECLARED_KEY.matcher(source).find(), name + " names its keys at the top");
      assertFalse(BUILT_KEY.matcher(source).find(), name + " builds a key name from a key");
      if (source.contains("numberPrefix")) {
        deriving.add(name);
      }
    });
    assertEquals(new TreeSet<>(DERIVING), deriving);
  }

  @Test
  void aScriptIsLoadedAfterItsPreludes() {
    Script script = Script.load("devices", "read_device");

    assertTrue(script.source().indexOf("local function readDevice") < script.source().indexOf("KEYS[1]"));
    assertEquals(40, script.sha().length());
  }

  private static Map<String, String> scripts() throws IOException, URISyntaxException {
    Path dir = Path.of(ScriptsTest.class.getClassLoader().getResource("lua").toURI());
    Map<String, String> scripts = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".lua")).toList()) {
        scripts.put(file.getFileName().toString().replace(".lua", ""), Files.readString(file));
      }
    }
    return scripts;
  }
}
