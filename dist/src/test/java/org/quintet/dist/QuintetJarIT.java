package org.quintet.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as an operator runs it: nothing but a JRE, in a directory with no configuration. */
class QuintetJarIT {
  private static final String NUMBER = "+8801711000041";
  private static final Path JAR = Path.of(System.getProperty("quintet.jar"));

  @TempDir
  Path dir;

  /** A process of the jar, its output (both streams) gathered as it comes. */
  private record Run(Process process, StringBuffer output) {
    static Run start(Path cwd, String... args) throws IOException {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", JAR.toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
      StringBuffer output = new StringBuffer();
      Thread reader = new Thread(() -> copy(process.getInputStream(), output));
      reader.setDaemon(true);
      reader.start();
      return new Run(process, output);
    }

    private static void copy(InputStream in, StringBuffer into) {
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException ended) {
        // the process ended
      }
    }

    String finish() throws Exception {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not end: " + output);
      process.getInputStream().close();
      assertEquals(0, process.exitValue(), output.toString());
      return output.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theJarServesARelayAndRunsTheClientVerbsAgainstIt() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " was made by the package phase");
    int port = freePort();
    Run relay = Run.start(dir, "serve", "--port", Integer.toString(port), "--data", "data");
    try {
      String url = "http://127.0.0.1:" + port;
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.currentTimeMillis() + 60_000;
      int status = 0;
      while (status != 200 && System.currentTimeMillis() < deadline) {
        try {
          status = http.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
          Thread.sleep(200);
        }
      }
      assertEquals(200, status, relay.output().toString());
      assertTrue(relay.output().toString().contains("listening on " + url), relay.output().toString());

      Path home = dir.resolve("home");
      String registered = Run.start(dir, "register", "--home", home.toString(), "--relay", url, NUMBER).finish();
      assertTrue(registered.contains("java -jar quintet.jar verify"), registered);
      Matcher code = Pattern.compile("verification code for \\+8801711000041: (\\d{6})").matcher(relay.output());
      assertTrue(code.find(), relay.output().toString());
      Run.start(dir, "verify", "--home", home.toString(), code.group(1)).finish();
      String whoami = Run.start(dir, "whoami", "--home", home.toString()).finish();
      assertTrue(whoami.startsWith(NUMBER + ", device 1 (primary)"), whoami);
    } finally {
      relay.process().destroy();
      relay.process().waitFor(20, TimeUnit.SECONDS);
    }
  }
}
