package org.quintet.relay.media;

import java.io.IOException;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for the tests: S3Proxy with its filesystem backend, each bucket a directory of
 * {@link #objects()} and each object a file in it, on a free loopback port, with one pair of
 * credentials. It runs in a JVM of its own, from the jar the relay's build copies into target/
 * (relay/pom.xml), which keeps its libraries off the tests' class path. Killed when the JVM exits,
 * in case a test run does not get to stop it.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "quintet-test";
  public static final String SECRET_KEY = "quintet-test-secret";
  /** Any region does: S3Proxy has none, and checks only that requests are signed with the secret. */
  public static final String REGION = "us-east-1";

  private final int port;
  private final Path dir;
  private Process process;

  private S3ProxyServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server that keeps its objects, settings and log under {@code dir}. */
  public static S3ProxyServer start(Path dir) throws IOException, InterruptedException {
    S3ProxyServer server = new S3ProxyServer(freePort(), dir);
    Files.createDirectories(server.objects());
    Properties settings = new Properties();
    settings.setProperty("s3proxy.endpoint", server.endpoint());
    settings.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    settings.setProperty("s3proxy.identity", ACCESS_KEY);
    settings.setProperty("s3proxy.credential", SECRET_KEY);
    settings.setProperty("jclouds.provider", "filesystem");
    settings.setProperty("jclouds.filesystem.basedir", server.objects().toString());
    try (Writer out = Files.newBufferedWriter(server.settings())) {
      settings.store(out, null);
    }
    server.launch();
    return server;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Where the buckets are: a directory for each, a file for each object, named by its key. */
  public Path objects() {
    return dir.resolve("objects");
  }

  /** Creates a bucket, and returns how a store finds its blobs in it under {@code prefix}. */
  public S3Config createBucket(String bucket, String prefix) {
    S3Config config = new S3Config(endpoint(), REGION, bucket, ACCESS_KEY, SECRET_KEY, prefix, true);
    try (S3Client s3 = config.client()) {
      s3.createBucket(create -> create.bucket(bucket));
    }
    return config;
  }

  /**
   * Kills the server's process and starts it again on its port and directory: what a connection
   * sees when its server goes away. Its objects stay.
   */
  public void restart() throws IOException, InterruptedException {
    process.destroyForcibly().waitFor();
    launch();
  }

  private Path settings() {
    return dir.resolve("s3proxy.properties");
  }

  private Path log() {
    return dir.resolve("s3proxy.log");
  }

  private void launch() throws IOException, InterruptedException {
    String jar = System.getProperty("quintet.s3proxy.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IOException("S3Proxy's jar is not at quintet.s3proxy.jar (" + jar + "): the relay's Maven build "
          + "copies it there before the tests");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process started = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar, "--properties", settings().toString()))
        .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log().toFile())).start();
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    process = started;
    awaitListening();
  }

  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("S3Proxy exited; see " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(50);
    }
    throw new IOException("S3Proxy did not listen within 30 s; see " + log());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
