package org.quintet.relay.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.quintet.relay.RelayLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate a node serves, kept current without a restart: the operator's files are read
 * again when they change (certbot renewing them), a self-signed one is made again before it ends,
 * and the new one is given to the servers for their next handshakes.
 */
public final class TlsCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);

  private final Vertx vertx;
  private final TlsConfig config;
  private final Path dataDir;
  private final Set<String> names;
  private final Clock clock;
  private ServerCertificate current;
  /** The operator's files as last read: a change of either means a renewal to read. */
  private List<FileTime> readAt;
  private long timer = -1;

  private TlsCertificates(Vertx vertx, TlsConfig config, Path dataDir, Set<String> names, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.dataDir = dataDir;
    this.names = names;
    this.clock = clock;
  }

  /** Reads (or makes) the certificate; fails with a message naming the file and the fault. */
  public static Future<TlsCertificates> load(Vertx vertx, TlsConfig config, Path dataDir, String bindHost,
      Clock clock) {
    return vertx.executeBlocking(() -> {
      Set<String> names = config.operatorCertificate() ? Set.of() : LocalNames.of(bindHost, config.names());
      TlsCertificates certificates = new TlsCertificates(vertx, config, dataDir, names, clock);
      certificates.current = certificates.read();
      certificates.describe("serving");
      return certificates;
    });
  }

  public ServerCertificate current() {
    return current;
  }

  /** Checks for a renewal now and then, and gives one to {@code servers}. */
  public void watch(List<HttpServer> servers) {
    timer = vertx.setPeriodic(RelayLimits.TLS_RENEWAL_CHECK.toMillis(), id -> refresh(servers));
  }

  /**
   * Reads the certificate again if it was renewed (or must be), and hands a new one to
   * {@code servers}; true when it changed. A renewal that cannot be read (a file half written)
   * keeps the current one, and says why.
   */
  public Future<Boolean> refresh(List<HttpServer> servers) {
    return vertx.<ServerCertificate>executeBlocking(() -> changed() ? read() : null).compose(renewed -> {
      if (renewed == null || renewed.fingerprint().equals(current.fingerprint())) {
        return Future.succeededFuture(false);
      }
      current = renewed;
      ServerSSLOptions options = new ServerSSLOptions().setKeyCertOptions(renewed.keyCertOptions());
      return Future.all(servers.stream().map(server -> server.updateSSLOptions(options)).toList()).map(v -> {
        describe("renewed: now serving");
        return true;
      });
    }).recover(e -> {
      LOG.warn("the renewed TLS certificate could not be used, the current one stays: {}", e.getMessage());
      return Future.succeededFuture(false);
    });
  }

  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private boolean changed() throws IOException {
    if (config.operatorCertificate()) {
      return !Objects.equals(readAt, stamps());
    }
    return SelfSignedCertificate.needsRenewal(current, names, config.validity(), clock);
  }

  private ServerCertificate read() throws IOException {
    if (!config.operatorCertificate()) {
      return SelfSignedCertificate.loadOrMake(dataDir, names, config.validity(), clock);
    }
    List<FileTime> stamps = stamps();
    ServerCertificate read = ServerCertificate.read(config.certFile(), config.keyFile());
    readAt = stamps;
    return read;
  }

  private List<FileTime> stamps() throws IOException {
    return List.of(Files.getLastModifiedTime(config.certFile()), Files.getLastModifiedTime(config.keyFile()));
  }

  /** What a person compares with what their browser shows, and what devices pin. */
  private void describe(String what) {
    String source = config.operatorCertificate() ? "from " + config.certFile()
        : "self-signed, kept in " + dataDir.resolve(SelfSignedCertificate.DIRECTORY).toAbsolutePath()
            + ", for " + String.join(", ", names);
    LOG.info("TLS {} the certificate {} (valid until {}): SHA-256 fingerprint {}; public-key pin {}",
        what, source, current.notAfter(), current.fingerprint(), current.publicKeyPin());
  }
}
