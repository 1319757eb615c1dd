package org.quintet.bench.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.quintet.bench.relay.Directories;
import org.quintet.bench.relay.ServerProcess;
import org.quintet.client.QuintetClient;

/**
 * A command-line device draining its queue: one account sends {@code --messages} texts to another
 * while that one is offline, then {@code quintet receive --json} runs on the receiving home in a
 * process of its own, as a user runs it, until it exits by itself (the queue drained and nothing
 * more for 2 s). Measured on that process alone: wall time, the time to its last message, and the
 * bytes it had written to disk ({@code write_bytes} of {@code /proc/<pid>/io}, read by a shell
 * that waited for it, which the kernel credits with what a child it reaped wrote).
 *
 * <p>Both accounts use the client library on a relay started as a user starts it. The receiving
 * home is on the disk under {@code --dir} (its syncs are what is measured); the sender's is in
 * memory where there is a tmpfs, so that its own syncs do not hold up the set-up.
 */
public final class ReceiveBench {
  static final String USAGE = """
      usage: scripts/bench-client [options]
        --messages N      texts queued for the receiving device (default 10000)
        --dir DIR         where the receiving home is made, on the disk to measure (default target/bench)
        --server-jvm OPTS JVM options of the relay, space-separated (default -Xmx1g)
        --timeout S       longest the receiving process may take (default 1800)""";
  private static final String SENDER = "+15550000001";
  private static final String RECEIVER = "+15550000002";
  private static final long SETUP_TIMEOUT_SECONDS = 3600;

  private ReceiveBench() {}

  /**
   * What the receiving process did: its exit code, the messages it printed, when (seconds from its
   * start), what it wrote to disk, and the size of the home it left.
   */
  record Drain(int exitCode, int messages, double wallSeconds, double lastMessageSeconds, long writeBytes,
      long homeBytes) {
    JsonObject toJson(int queued) {
      return new JsonObject().put("queued", queued).put("exitCode", exitCode).put("messages", messages)
          .put("wallSeconds", wallSeconds).put("lastMessageSeconds", lastMessageSeconds)
          .put("messagesPerSecond", messages / lastMessageSeconds).put("writeBytes", writeBytes)
          .put("writeBytesPerMessage", messages == 0 ? 0 : writeBytes / messages).put("homeBytes", homeBytes);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(USAGE);
      return;
    }
    Map<String, String> flags = flags(args);
    if (flags == null) {
      System.err.println(USAGE);
      System.exit(2);
    }
    int messages = Integer.parseInt(flags.getOrDefault("--messages", "10000"));
    Path out = Path.of(flags.getOrDefault("--dir", "target/bench"));
    List<String> relayJvm = List.of(flags.getOrDefault("--server-jvm", "-Xmx1g").split(" "));
    long timeout = Long.parseLong(flags.getOrDefault("--timeout", "1800"));
    Files.createDirectories(out);
    Path work = Files.createTempDirectory(out, "client-receive-");
    Path shm = Path.of("/dev/shm");
    Path senderHomes = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "quintet-bench-sender")
        : Files.createTempDirectory(work, "sender");
    Vertx vertx = Vertx.vertx();
    try (ServerProcess relay = ServerProcess.startRelay(relayJvm, List.of(), Files.createDirectories(work.resolve("relay")))) {
      String url = "http://127.0.0.1:" + relay.port();
      Path home = work.resolve("receiver");
      try (QuintetClient receiver = QuintetClient.open(vertx, home, url)) {
        register(relay, receiver, RECEIVER);
      }
      System.out.printf("receiver %s registered, now offline; sending %d texts%n", RECEIVER, messages);
      long sendStart = System.nanoTime();
      try (QuintetClient sender = QuintetClient.open(vertx, senderHomes.resolve("sender"), url)) {
        register(relay, sender, SENDER);
        for (int i = 1; i <= messages; i++) {
          await(sender.sendText(RECEIVER, "text " + i + " of " + messages));
          if (i % 1000 == 0) {
            System.out.printf("  %d sent (%.0f s)%n", i, (System.nanoTime() - sendStart) / 1e9);
          }
        }
      }
      System.out.println("draining with the command line");
      Drain drain = drain(home, url, timeout);
      String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      JsonObject result = drain.toJson(messages).put("date", timestamp)
          .put("command", "ReceiveBench " + String.join(" ", args));
      Path report = out.resolve("client-receive-" + timestamp + ".json");
      Files.writeString(report, result.encodePrettily());
      System.out.println(result.encodePrettily());
      System.out.println("results: " + report);
      if (drain.exitCode() != 0 || drain.messages() != messages) {
        System.err.printf("the receiving process exited with %d after %d of %d messages%n", drain.exitCode(),
            drain.messages(), messages);
        System.exit(1);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      Directories.deleteTree(senderHomes);
      Directories.deleteTree(work);
    }
  }

  private static void register(ServerProcess relay, QuintetClient client, String number) throws Exception {
    await(client.register(number));
    await(client.verify(relay.code(number).get(60, TimeUnit.SECONDS), "bench", "bench"));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Runs {@code quintet receive --json} on the home (this JVM's class path, as {@code ./quintet}
   * runs it) under a shell that prints its own I/O counters once the receiver exited.
   */
  private static Drain drain(Path home, String url, long timeoutSeconds) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$@\"; status=$?; cat /proc/$$/io; exit $status",
        "receive-bench"));
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dfile.encoding=UTF-8", "-cp", System.getProperty("java.class.path"), "org.quintet.cli.QuintetCli",
        "receive", "--json", "--home", home.toString(), "--relay", url));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    // A receiver that never exits would keep its output open: ending it ends the reading below.
    CompletableFuture.delayedExecutor(timeoutSeconds, TimeUnit.SECONDS)
        .execute(() -> process.descendants().forEach(ProcessHandle::destroyForcibly));
    int messages = 0;
    long lastMessage = start;
    long writeBytes = -1;
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("{")) {
          if ("text".equals(new JsonObject(line).getString("type"))) {
            messages++;
            lastMessage = System.nanoTime();
          }
        } else if (line.startsWith("write_bytes:")) {
          writeBytes = Long.parseLong(line.substring("write_bytes:".length()).trim());
        }
      }
    }
    int exitCode = process.waitFor();
    long end = System.nanoTime();
    return new Drain(exitCode, messages, (end - start) / 1e9, (lastMessage - start) / 1e9, writeBytes,
        homeBytes(home));
  }

  private static long homeBytes(Path home) throws IOException {
    try (Stream<Path> files = Files.walk(home)) {
      long total = 0;
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  /** {@code --name value} pairs; null when one is unknown or has no value. */
  private static Map<String, String> flags(String[] args) {
    List<String> known = List.of("--messages", "--dir", "--server-jvm", "--timeout");
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!known.contains(args[i]) || i + 1 == args.length) {
        return null;
      }
      flags.put(args[i], args[i + 1]);
    }
    return flags;
  }
}
