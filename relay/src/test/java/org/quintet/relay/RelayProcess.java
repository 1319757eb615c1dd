package org.quintet.relay;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A relay in a process of its own, started as an operator starts it ({@link RelayMain} with
 * flags), so a test can kill it with SIGKILL. It listens on a free port of 127.0.0.1 and uses the
 * {@code log} verification sender: the test reads the codes, and the port, from its output.
 */
final class RelayProcess implements AutoCloseable {
  /** The start line, plain or in a JSON log (whose encoder writes "/" as "\\/"). */
  private static final Pattern LISTENING = Pattern.compile("relay listening on https?:[\\\\/]+127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern CODE = Pattern.compile("verification code for (\\+\\d+): (\\d{6})");
  private static final long START_TIMEOUT_MILLIS = 60_000;

  final Process process;
  /**
   * The process writes its output to a file, not a pipe: a pipe's reader can lose what a process
   * prints as it exits (its shutdown), and a stopping relay's last lines are what a test reads.
   */
  private final Path log;

  private RelayProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static RelayProcess start(Path dataDir, Path configFile) throws IOException {
    return start(dataDir, configFile, null);
  }

  /** A node of a cluster when {@code redisUrl} is not null ({@code --redis URL}), else a node on its own. */
  static RelayProcess start(Path dataDir, Path configFile, String redisUrl) throws IOException {
    return start(dataDir, configFile, redisUrl, List.of(), List.of());
  }

  /** The same, with options for its JVM ({@code -Dname=value}) and more flags of {@code serve}. */
  static RelayProcess start(Path dataDir, Path configFile, String redisUrl, List<String> javaOptions,
      List<String> flags) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    command.addAll(javaOptions);
    command.addAll(List.of("-cp", mainClassPath(), RelayMain.class.getName(),
        "--host", "127.0.0.1", "--port", "0", "--data", dataDir.toString(), "--config", configFile.toString()));
    if (redisUrl != null) {
      command.addAll(List.of("--redis", redisUrl));
    }
    command.addAll(flags);
    Path log = Files.createTempFile("relay-process", ".log");
    log.toFile().deleteOnExit();
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    // A test run that does not get to close it does not leave it running.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    return new RelayProcess(process, log);
  }

  /** The relay as a user runs it: without the tests' classes and their quieter logging. */
  private static String mainClassPath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private List<String> lines() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first group of the last output line that {@code pattern} finds, waiting for one until the deadline. */
  private String await(Pattern pattern, String number, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      List<String> lines = lines();
      for (int i = lines.size() - 1; i >= 0; i--) {
        Matcher matcher = pattern.matcher(lines.get(i));
        if (matcher.find() && (number == null || number.equals(matcher.group(1)))) {
          return matcher.group(number == null ? 1 : 2);
        }
      }
      if (System.currentTimeMillis() > deadline || !process.isAlive()) {
        throw new AssertionError("the relay process did not print " + pattern + "; its output:\n" + output());
      }
      Thread.sleep(50);
    }
  }

  int port() throws InterruptedException {
    return Integer.parseInt(await(LISTENING, null, START_TIMEOUT_MILLIS));
  }

  String url() throws InterruptedException {
    return "http://127.0.0.1:" + port();
  }

  /** Waits until the node answers {@code /healthz} with 200 "ok" (after it listens, it may still be connecting). */
  void awaitHealthy(Vertx vertx) throws Exception {
    WebClient http = WebClient.create(vertx);
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        var response = TestRelay.await(http.getAbs(url() + "/healthz").send());
        if (response.statusCode() == 200 && "ok".equals(response.bodyAsJsonObject().getString("status"))) {
          return;
        }
      } catch (Exception e) {
        // not serving yet
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the relay process never became healthy:\n" + output());
      }
      Thread.sleep(50);
    }
  }

  /** The last code the relay logged for {@code number}. */
  String codeFor(String number) {
    try {
      return await(CODE, number, 10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  String output() {
    return String.join("\n", lines());
  }

  /** Every line the process wrote so far. */
  List<String> outputLines() {
    return lines();
  }

  /** Waits for a process that is expected to end by itself (a refusal to start); returns its exit code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the relay process is still running:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the relay process outlived SIGKILL");
    }
  }

  /** SIGTERM, as an operator stops a node; returns once the process has exited by itself. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the relay process did not stop within 30 s of SIGTERM:\n" + output());
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
