package org.quintet.relay.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/relay-api.md's table of limits names every limiter, with the defaults conf/quintet.json ships. */
class LimitsDocumentTest {
  private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\| (rate|cap) \\| ([^|]+) \\|", Pattern.MULTILINE);

  @Test
  void theApiDocumentListsEveryLimiterWithItsDefault() throws IOException {
    String document = Files.readString(Path.of(System.getProperty("quintet.docs.dir"), "relay-api.md"));
    JsonObject conf = new JsonObject(Files.readString(Path.of(System.getProperty("quintet.conf.dir"), "quintet.json")));
    Map<String, String> documented = new TreeMap<>();
    Matcher row = ROW.matcher(document);
    while (row.find()) {
      documented.put(row.group(1), row.group(2) + " " + row.group(3).trim());
    }

    Map<String, String> shipped = new TreeMap<>();
    for (Limiter limiter : Limiter.values()) {
      if (limiter.kind() == Limiter.Kind.RATE) {
        JsonObject bucket = conf.getJsonObject("rateLimits").getJsonObject(limiter.setting());
        shipped.put(limiter.setting(), "rate " + bucket.getInteger("bucketSize") + ", refilled in "
            + bucket.getInteger("refillSeconds") + " s");
      } else {
        shipped.put(limiter.setting(), "cap " + conf.getJsonObject("connectionLimits").getInteger(limiter.setting())
            + " open");
      }
    }
    assertEquals(shipped, documented);
  }
}
