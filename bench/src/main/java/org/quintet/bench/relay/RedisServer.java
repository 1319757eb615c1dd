package org.quintet.bench.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian {@code redis-server} of the benchmark's own on a free loopback port, persisting as
 * docs/cluster.md asks of a relay's Redis (append-only file, fsync on every write) into a fresh
 * directory, and no snapshots; stopped at the end, and its directory (the append-only file grows
 * with every envelope of the run) deleted.
 */
final class RedisServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private RedisServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  static RedisServer start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("quintet-bench-redis");
    int port = ServerProcess.freePort();
    Process process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    RedisServer redis = new RedisServer(process, port, dir);
    redis.awaitPong();
    return redis;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * A new relay key for the nodes on this Redis, made once and given to every node as an operator
   * does (docs/cluster.md): the first node to start records a check of it in Redis, and a node
   * with another key refuses to start.
   */
  Path newRelayKey() throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path file = dir.resolve("relay.key");
    Files.write(file, key);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private void awaitPong() throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue());
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] answer = in.readNBytes(7);
        if (new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet, or still loading.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("redis-server did not answer on port " + port);
  }

  @Override
  public void close() throws InterruptedException, IOException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    Directories.deleteTree(dir);
  }
}
