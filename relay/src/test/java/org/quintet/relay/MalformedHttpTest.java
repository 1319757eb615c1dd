package org.quintet.relay;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that are not well-formed HTTP, sent byte for byte to a relay process: each gets a JSON
 * refusal (when the connection still takes an answer), and the relay's log, as the operator has
 * it, gets no error, no warning and no stack trace for any of them, however many come.
 */
class MalformedHttpTest {
  private static final int REPEAT = 40;

  @TempDir
  Path data;
  Vertx vertx;
  RelayProcess relay;
  URI base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    relay = RelayProcess.start(data.resolve("node"), Files.writeString(data.resolve("quintet.json"), "{}"));
    relay.awaitHealthy(vertx);
    base = URI.create(relay.url());
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** What came back on a connection: the status (0: none) and the body, read until the relay closed it. */
  private record Answer(int status, String head, String body) {}

  private Answer exchange(String request) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(ISO_8859_1));
        out.flush();
      } catch (IOException closedWhileWriting) {
        // the relay refused and closed before the whole request was written: read what it said
      }
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException stillOpenOrReset) {
        // what arrived is what there is
      }
      String text = received.toString(ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.") || split < 0) {
        return new Answer(0, text, "");
      }
      return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, split), text.substring(split + 4));
    }
  }

  private static JsonObject expectJsonError(Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer.head() + "\n" + answer.body());
    assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), answer.head());
    JsonObject error = new JsonObject(answer.body());
    assertEquals(code, error.getString("error"), error.encode());
    assertFalse(error.getString("message", "").isEmpty(), error.encode());
    return error;
  }

  @Test
  void malformedRequestsGetJsonRefusalsAndNoErrorOrStackTraceInTheLog() throws Exception {
    int linesBefore = relay.outputLines().size();
    for (int i = 0; i < REPEAT; i++) {
      // A chunk size that is not hexadecimal, half way through a body.
      Answer chunked = exchange("POST /v1/registration/code HTTP/1.1\r\nHost: relay\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\n{\"num\r\nZZZZ\r\nber\":1}\r\n0\r\n\r\n");
      if (chunked.status() != 0) {
        expectJsonError(chunked, 400, "INVALID_REQUEST");
      }
      // A chunk that is longer than it said.
      Answer overrun = exchange("PUT /v1/keys HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}}}}}}}\r\n0\r\n\r\n");
      if (overrun.status() != 0) {
        assertTrue(overrun.status() >= 400, overrun.head());
      }
      expectJsonError(exchange("GET /v1/keys/count HTTP/1.1\r\nHost: relay\r\nX-Broken\r\n\r\n"), 400,
          "INVALID_REQUEST");
    }
    expectJsonError(exchange("HELLO THERE\r\n\r\n"), 400, "INVALID_REQUEST");
    expectJsonError(exchange("GET /v1/keys/" + "1".repeat(RelayLimits.MAX_REQUEST_LINE_BYTES)
        + " HTTP/1.1\r\nHost: relay\r\n\r\n"), 414, "URI_TOO_LONG");
    expectJsonError(exchange("GET /healthz HTTP/1.1\r\nHost: relay\r\nX-Big: "
        + "b".repeat(RelayLimits.MAX_HEADER_BYTES) + "\r\n\r\n"), 431, "HEADERS_TOO_LARGE");
    // Odd but well-formed requests: answered in JSON like any other refusal.
    for (String target : new String[] {"*", "http://elsewhere.example/v1/keys/count", "/v1/accounts/%zz",
        "/v1/devices/%", "/static/../../etc/passwd", "/v1/keys/%2B15550000001/%00"}) {
      Answer odd = exchange("GET " + target + " HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n");
      assertTrue(odd.status() >= 400 && odd.status() < 500, target + ": " + odd.head());
      assertTrue(odd.head().toLowerCase().contains("content-type: application/json"), target + ": " + odd.head());
      assertTrue(new JsonObject(odd.body()).getString("error") != null, target + ": " + odd.body());
    }
    // A body that breaks off: the client hangs up half way.
    exchange("POST /v1/registration/code HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"number\":");

    // The relay still serves, and said nothing about any of it at its default level.
    Answer healthy = exchange("GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n");
    assertEquals(200, healthy.status(), healthy.head());
    relay.stop();
    List<String> lines = relay.outputLines();
    List<String> after = lines.subList(linesBefore, lines.size());
    for (String line : after) {
      assertFalse(line.contains("ERROR") || line.contains("WARN"), "logged: " + line + "\n" + String.join("\n", after));
      assertFalse(line.startsWith("\tat ") || line.contains("Exception"), "logged: " + line + "\n"
          + String.join("\n", after));
    }
    assertTrue(after.size() < 10, "a few lines of stopping, not one per bad request:\n" + String.join("\n", after));
  }
}
