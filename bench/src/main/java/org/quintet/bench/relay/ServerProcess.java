package org.quintet.bench.relay;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quintet.relay.limits.Limiter;

/**
 * A server under test in its own JVM, started as a user starts it, so that its CPU, heap and
 * GC are its own and can be read from outside. Verification codes are taken from its log.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern CODE = Pattern.compile("verification code for (\\+[0-9]+): ([0-9]{6})");
  private final Process process;
  private final int port;
  private final Map<String, CompletableFuture<String>> codes = new ConcurrentHashMap<>();

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    Thread reader = new Thread(this::readLog, "server-log");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass} with this JVM's class path; {@code jvmOptions} come before it. */
  static ServerProcess start(String mainClass, List<String> jvmOptions, List<String> args, int port)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ServerProcess server = new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), port);
    server.awaitHealthy();
    return server;
  }

  /**
   * The relay as a user starts it ({@code RelayMain}) on a free loopback port, its data and
   * configuration in {@code dir}, default limits, verification codes written to its log.
   */
  public static ServerProcess startRelay(List<String> jvmOptions, List<String> extraArgs, Path dir)
      throws IOException, InterruptedException {
    Path config = dir.resolve("bench-config.json");
    Files.writeString(config, new JsonObject().put("verification", new JsonObject().put("sender", "log"))
        .mergeIn(unlimited()).encode());
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--data",
        dir.resolve("data").toString(), "--config", config.toString()));
    args.addAll(extraArgs);
    return start("org.quintet.relay.RelayMain", jvmOptions, args, port);
  }

  /**
   * The abuse limits, made for people, lifted: the load generator is one client at one address with
   * thousands of devices. Every limiter still counts (the buckets are only too big to run dry), so
   * what the limits cost a request is part of what is measured.
   */
  static JsonObject unlimited() {
    JsonObject rates = new JsonObject();
    JsonObject caps = new JsonObject();
    for (Limiter limiter : Limiter.values()) {
      if (limiter.kind() == Limiter.Kind.RATE) {
        // Refilled in an hour: a bucket this big never runs dry in a run, and the token buckets refill at
        // most one token a nanosecond (the relay refuses a faster limit).
        rates.put(limiter.setting(), new JsonObject().put("bucketSize", Integer.MAX_VALUE).put("refillSeconds", 3600));
      } else {
        caps.put(limiter.setting(), Integer.MAX_VALUE);
      }
    }
    return new JsonObject().put("rateLimits", rates).put("connectionLimits", caps);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** The code the relay logged for the number (the request for it may still be on its way). */
  public CompletableFuture<String> code(String number) {
    return codes.computeIfAbsent(number, n -> new CompletableFuture<>());
  }

  private void readLog() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        Matcher matcher = CODE.matcher(line);
        if (matcher.find()) {
          code(matcher.group(1)).complete(matcher.group(2));
        } else if (line.contains("WARN") || line.contains("ERROR") || line.contains("Exception")) {
          System.err.println("[server] " + line);
        }
      }
    } catch (IOException closed) {
      // The process ended; nothing more to read.
    }
  }

  private void awaitHealthy() throws InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue());
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("server did not become healthy on port " + port);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
