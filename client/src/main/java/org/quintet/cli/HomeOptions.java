package org.quintet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.quintet.protocol.CertificatePin;
import picocli.CommandLine.Option;

/** The options every verb takes: which device (its home directory) and which relay. */
final class HomeOptions {
  /** The options every verb takes, which may also stand before the verb. */
  static final Set<String> NAMES = Set.of("--home", "--relay", "--relay-fingerprint", "--relay-cert");
  /** What {@code --relay-fingerprint} takes to trust the system's certificate authorities again. */
  static final String SYSTEM_TRUST = "system";

  @Option(names = "--home", paramLabel = "DIR",
      defaultValue = "${env:QUINTET_HOME:-${sys:user.home}${sys:file.separator}.quintet}",
      description = "the device's home directory (env QUINTET_HOME; default: ${DEFAULT-VALUE})")
  Path home;

  @Option(names = "--relay", paramLabel = "URL", defaultValue = "${env:QUINTET_RELAY}",
      description = "the relay (env QUINTET_RELAY; default: the one the home remembers, else http://127.0.0.1:8080)")
  String relay;

  @Option(names = "--relay-fingerprint", paramLabel = "PIN", defaultValue = "${env:QUINTET_RELAY_FINGERPRINT}",
      description = "trust the relay's certificate by the pin it printed when it started: its public-key pin"
          + " (sha256/BASE64, kept when the relay renews its certificate) or the certificate's SHA-256 fingerprint;"
          + " the home remembers it (env QUINTET_RELAY_FINGERPRINT). '" + SYSTEM_TRUST + "' trusts the system's"
          + " certificate authorities again")
  String relayFingerprint;

  @Option(names = "--relay-cert", paramLabel = "FILE",
      description = "trust the relay's certificate in this PEM file (a self-signed relay keeps it in"
          + " DATA/tls/self-signed-cert.pem); the home remembers its public-key pin")
  Path relayCert;

  /** The pins the owner accepts now; null: the ones the home holds; empty: the system's authorities. */
  List<String> relayPins() throws IOException {
    if (relayFingerprint == null && relayCert == null) {
      return null;
    }
    List<String> pins = new ArrayList<>();
    if (relayFingerprint != null && !relayFingerprint.equals(SYSTEM_TRUST)) {
      pins.add(CertificatePin.normalize(relayFingerprint));
    }
    if (relayCert != null) {
      try (InputStream in = Files.newInputStream(relayCert)) {
        pins.add(CertificatePin.publicKeyPin(
            (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)));
      } catch (CertificateException e) {
        throw new IllegalArgumentException(relayCert + " is not a PEM certificate: " + e.getMessage());
      }
    }
    return pins;
  }
}
