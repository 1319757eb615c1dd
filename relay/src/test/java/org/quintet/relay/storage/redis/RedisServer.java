package org.quintet.relay.storage.redis;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for the tests, on a free loopback port with its own directory, writing an
 * append-only file synced at every write, as a relay's Redis should (extra arguments may change
 * that). Killed when the JVM exits, in case a test run does not get to stop it.
 */
public final class RedisServer implements AutoCloseable {
  private static final String BINARY = "redis-server";

  final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private Process process;

  private RedisServer(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = extraArgs;
  }

  /** Starts a server; {@code extraArgs} are passed to redis-server as they are. */
  public static RedisServer start(String... extraArgs) throws IOException, InterruptedException {
    RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("quintet-redis"), List.of(extraArgs));
    server.launch();
    return server;
  }

  /**
   * Kills the server's process with SIGKILL, as a crash of Redis would. Its machine keeps running:
   * what Redis wrote to its files is in the OS's page cache whether it was synced or not, so a
   * test that kills the process shows nothing about {@code appendfsync} or a lost machine.
   */
  public void killProcess() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Starts the server again on its port and directory, after {@link #killProcess}. */
  public void restart() throws IOException, InterruptedException {
    launch();
  }

  private void launch() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(executable(), "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always",
        "--dir", dir.toString()));
    command.addAll(extraArgs);
    Process started = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    process = started;
    awaitPing();
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Runs redis-cli against this server and returns what it printed. */
  public String cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(cli.getInputStream().readAllBytes()).trim();
    if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
      throw new IOException("redis-cli " + String.join(" ", args) + " failed: " + output);
    }
    return output;
  }

  private void awaitPing() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited; see " + dir.resolve("redis.log"));
      }
      try {
        if (cli("PING").equals("PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(20);
    }
    throw new IOException("redis-server did not answer PING within 10 s; see " + dir.resolve("redis.log"));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static String executable() throws IOException {
    for (String path : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(path, BINARY))) {
        return Path.of(path, BINARY).toString();
      }
    }
    throw new IOException(BINARY + " is not on the PATH (Debian package redis-server): the Redis storage "
        + "tests need a real Redis");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
