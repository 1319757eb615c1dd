package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.CertificatePin;
import org.quintet.relay.tls.SelfSignedCertificate;
import org.quintet.relay.tls.ServerCertificate;

/** HTTPS on a real node: its own certificate or the operator's, renewals without a restart, HSTS, the redirect port. */
class HttpsTest {
  @TempDir
  Path dir;

  private static JsonObject tls(JsonObject tls) {
    return new JsonObject().put("tls", tls.put("enabled", true));
  }

  /** A client that trusts exactly {@code certificate} (and checks the host name against it). */
  private static HttpClient trusting(X509Certificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("relay", certificate);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The certificate the node presents to a new connection. */
  private static X509Certificate served(TestRelay relay, X509Certificate trusted) throws Exception {
    HttpResponse<String> health = get(trusting(trusted), relay.url() + "/healthz");
    assertEquals(200, health.statusCode());
    return (X509Certificate) health.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  private static Set<String> names(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream().map(entry -> String.valueOf(entry.get(1)))
        .collect(Collectors.toSet());
  }

  @Test
  void aNodeWithoutCertificateFilesMakesItsOwnForItsNamesKeepsItsKeyAndRenewsItBeforeItEnds() throws Exception {
    Path data = dir.resolve("data");
    String firstPin;
    try (TestRelay relay = TestRelay.start(data, tls(new JsonObject().put("validityDays", 30)
        .put("names", new JsonArray().add("quintet.home.arpa"))).put("host", "127.0.0.2"))) {
      ServerCertificate certificate = relay.server.certificate();
      X509Certificate leaf = certificate.leaf();
      assertTrue(names(leaf).containsAll(Set.of("127.0.0.2", "127.0.0.1", "localhost", "quintet.home.arpa")),
          names(leaf).toString());
      assertTrue(relay.url().startsWith("https://127.0.0.2:"), relay.url());
      HttpResponse<String> health = get(trusting(leaf), relay.url() + "/healthz");
      assertEquals(200, health.statusCode());
      assertEquals("max-age=31536000", health.headers().firstValue("Strict-Transport-Security").orElse(null));
      assertEquals(certificate.fingerprint(), CertificatePin.fingerprint(served(relay, leaf)));
      Path key = data.resolve("tls").resolve("self-signed-key.pem");
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(key));
      firstPin = certificate.publicKeyPin();

      // Nothing to renew yet; 21 of 30 days later, within the last third, a new one is served at once.
      assertFalse(await(relay.server.refreshCertificate()));
      relay.clock.advance(Duration.ofDays(21));
      assertTrue(await(relay.server.refreshCertificate()));
      ServerCertificate renewed = relay.server.certificate();
      assertNotEquals(certificate.fingerprint(), renewed.fingerprint());
      assertEquals(firstPin, renewed.publicKeyPin(), "the key, and so its pin, stays");
      assertTrue(renewed.notAfter().isAfter(certificate.notAfter()));
      assertEquals(renewed.fingerprint(), CertificatePin.fingerprint(served(relay, renewed.leaf())));
    }
    try (TestRelay again = TestRelay.start(data, tls(new JsonObject()).put("host", "127.0.0.2"))) {
      assertEquals(firstPin, again.server.certificate().publicKeyPin(), "a restart keeps the key");
    }
  }

  @Test
  void theOperatorsFilesAreServedAndRenewedOnesArePickedUpWithoutARestart() throws Exception {
    // Two certificates of other keys, as a CA (or certbot) would issue them; the key in SEC 1 form.
    SelfSignedCertificate.loadOrMake(dir.resolve("first"), Set.of("127.0.0.1"), Duration.ofDays(90), new TestClock());
    SelfSignedCertificate.loadOrMake(dir.resolve("second"), Set.of("127.0.0.1"), Duration.ofDays(90), new TestClock());
    Path live = Files.createDirectories(dir.resolve("live"));
    Path certFile = live.resolve("fullchain.pem");
    Path keyFile = live.resolve("privkey.pem");
    install(dir.resolve("first"), certFile, keyFile, Instant.now().minusSeconds(60));
    X509Certificate first = ServerCertificate.read(certFile, keyFile).leaf();
    X509Certificate second = ServerCertificate.read(dir.resolve("second/tls/self-signed-cert.pem"),
        dir.resolve("second/tls/self-signed-key.pem")).leaf();

    try (TestRelay relay = TestRelay.start(dir.resolve("data"), tls(new JsonObject()
        .put("certFile", certFile.toString()).put("keyFile", keyFile.toString())))) {
      assertEquals(CertificatePin.fingerprint(first), CertificatePin.fingerprint(served(relay, first)));

      // Half written: unreadable, so the current one stays.
      Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\nMIIB");
      Files.setLastModifiedTime(certFile, FileTime.from(Instant.now()));
      assertFalse(await(relay.server.refreshCertificate()));
      assertEquals(CertificatePin.fingerprint(first), CertificatePin.fingerprint(served(relay, first)));

      install(dir.resolve("second"), certFile, keyFile, Instant.now().plusSeconds(5));
      assertTrue(await(relay.server.refreshCertificate()));
      assertEquals(CertificatePin.fingerprint(second), CertificatePin.fingerprint(served(relay, second)));
      assertThrows(SSLHandshakeException.class, () -> get(trusting(first), relay.url() + "/healthz"));
    }
  }

  private static void install(Path made, Path certFile, Path keyFile, Instant modified) throws Exception {
    Files.copy(made.resolve("tls/self-signed-cert.pem"), certFile, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(made.resolve("tls/self-signed-key.pem"), keyFile, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(certFile, FileTime.from(modified));
    Files.setLastModifiedTime(keyFile, FileTime.from(modified));
  }

  @Test
  void aPlainHttpPortOnlySendsBrowsersToHttps() throws Exception {
    try (TestRelay relay = TestRelay.start(dir.resolve("data"), tls(new JsonObject().put("redirectPort", 0)))) {
      int plain = relay.server.redirectPort();
      HttpResponse<String> answer = get(HttpClient.newHttpClient(), "http://127.0.0.1:" + plain + "/v1/devices?x=1");
      assertEquals(308, answer.statusCode());
      assertEquals("https://127.0.0.1:" + relay.server.port() + "/v1/devices?x=1",
          answer.headers().firstValue("Location").orElse(null));
    }
  }

  @Test
  void plainHttpHasNoStrictTransportHeader() throws Exception {
    try (TestRelay relay = TestRelay.start(dir.resolve("data"))) {
      HttpResponse<String> health = get(HttpClient.newHttpClient(), relay.url() + "/healthz");
      assertEquals(200, health.statusCode());
      assertTrue(health.headers().firstValue("Strict-Transport-Security").isEmpty());
    }
  }

  @Test
  void badTlsSettingsAreRefusedWithTheirReasonAndNothingStarts() throws Exception {
    IllegalArgumentException alone = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromJson(
        tls(new JsonObject().put("certFile", "cert.pem"))));
    assertTrue(alone.getMessage().contains("tls.certFile and tls.keyFile go together"), alone.getMessage());
    IllegalArgumentException redirect = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromJson(
        new JsonObject().put("tls", new JsonObject().put("redirectPort", 8081))));
    assertTrue(redirect.getMessage().contains("tls.redirectPort needs tls.enabled"), redirect.getMessage());
    Exception name = assertThrows(Exception.class, () -> TestRelay.start(
        dir.resolve("names"), tls(new JsonObject().put("names", new JsonArray().add("not a name!")))));
    assertTrue(name.getMessage().contains("tls.names"), name.getMessage());

    SelfSignedCertificate.loadOrMake(dir.resolve("a"), Set.of("127.0.0.1"), Duration.ofDays(9), new TestClock());
    SelfSignedCertificate.loadOrMake(dir.resolve("b"), Set.of("127.0.0.1"), Duration.ofDays(9), new TestClock());
    Path certFile = dir.resolve("a/tls/self-signed-cert.pem");
    Exception mismatched = assertThrows(Exception.class, () -> TestRelay.start(dir.resolve("data"),
        tls(new JsonObject().put("certFile", certFile.toString())
            .put("keyFile", dir.resolve("b/tls/self-signed-key.pem").toString()))));
    assertTrue(mismatched.getMessage().contains("is not the key of the certificate in " + certFile),
        mismatched.getMessage());
    Exception missing = assertThrows(Exception.class, () -> TestRelay.start(dir.resolve("data"),
        tls(new JsonObject().put("certFile", dir.resolve("none.pem").toString())
            .put("keyFile", dir.resolve("b/tls/self-signed-key.pem").toString()))));
    assertTrue(missing.getMessage().contains("none.pem"), missing.getMessage());
  }

  @Test
  void aPinIsTypedAsTheRelayPrintsIt() throws Exception {
    ServerCertificate made = SelfSignedCertificate.loadOrMake(dir, Set.of("127.0.0.1"), Duration.ofDays(9),
        new TestClock());
    String pin = made.publicKeyPin();
    assertEquals(pin, CertificatePin.normalize("  " + pin + " "));
    assertTrue(CertificatePin.matches(CertificatePin.normalize(made.fingerprint().toLowerCase().replace(":", "")),
        made.leaf()));
    assertTrue(CertificatePin.matches(pin, made.leaf()));
    for (String wrong : List.of("", "sha256/abc", "AB:CD", "sha1/" + pin.substring(7))) {
      assertThrows(IllegalArgumentException.class, () -> CertificatePin.normalize(wrong), wrong);
    }
  }
}
