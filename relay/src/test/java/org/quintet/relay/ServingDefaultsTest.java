package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two relays on one data directory or one port, and where a relay says it listens. */
class ServingDefaultsTest {
  @TempDir
  Path dir;

  private static int status(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void aSecondRelayOnTheSameDataDirectoryRefusesAtOnceAndStartsOnceTheFirstIsGone() throws Exception {
    Path data = dir.resolve("data");
    try (TestRelay first = TestRelay.start(data)) {
      Exception refused = assertThrows(Exception.class, () -> TestRelay.start(data));
      assertTrue(refused.getMessage().contains("another relay is using the data directory " + data.toAbsolutePath()),
          refused.getMessage());
      assertEquals(200, status(first.url() + "/healthz"), "the first one serves on");
    }
    try (TestRelay next = TestRelay.start(data)) {
      assertEquals(200, status(next.url() + "/healthz"));
    }
    assertTrue(Files.exists(data.resolve(DataDirectoryLock.FILE)));
  }

  @Test
  void aPortInUseIsNamedWithItsAddress() throws Exception {
    try (TestRelay first = TestRelay.start(dir.resolve("a"))) {
      int port = first.server.port();
      Exception refused = assertThrows(Exception.class,
          () -> TestRelay.start(dir.resolve("b"), new JsonObject().put("port", port)));
      assertTrue(refused.getMessage().contains("cannot listen on 127.0.0.1:" + port + ": the address is already in use"),
          refused.getMessage());
    }
    // The refused one let its data directory go.
    try (TestRelay again = TestRelay.start(dir.resolve("b"))) {
      assertEquals(200, status(again.url() + "/healthz"));
    }
  }

  @Test
  void aRelayOnEveryAddressNamesEachOfThemAndOneOnAnAddressNamesIt() {
    List<String> all = ListenAddresses.urls("https", "0.0.0.0", 8443);
    assertTrue(all.contains("https://127.0.0.1:8443"), all.toString());
    assertTrue(all.get(0).startsWith("https://127.") || all.get(0).startsWith("https://[0:0:0:0:0:0:0:1]"),
        "loopback first: " + all);
    assertEquals(List.of("http://127.0.0.2:8080"), ListenAddresses.urls("http", "127.0.0.2", 8080));
    assertEquals(List.of("http://[::1]:8080"), ListenAddresses.urls("http", "::1", 8080));
  }
}
