package org.quintet.relay.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a node serves HTTPS: off, with the operator's PEM files, or (when none are named) with a
 * certificate it makes itself and keeps in its data directory.
 *
 * @param certFile the certificate chain (PEM), leaf first; null with {@code keyFile} null: self-signed
 * @param names extra host names and addresses for the self-signed certificate, beside the
 *     machine's own ({@link LocalNames})
 * @param validity how long a self-signed certificate is valid; it is renewed before it ends
 * @param redirectPort a plain-HTTP port that only redirects to HTTPS; null: none
 * @param hstsMaxAge what {@code Strict-Transport-Security} tells browsers; zero: no header
 */
public record TlsConfig(boolean enabled, Path certFile, Path keyFile, List<String> names, Duration validity,
    Integer redirectPort, Duration hstsMaxAge) {

  public TlsConfig {
    names = List.copyOf(names);
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("invalid configuration: tls.certFile and tls.keyFile go together: set both"
          + " (the operator's certificate) or neither (a self-signed one)");
    }
    if (validity.toDays() < 2) {
      throw new IllegalArgumentException("invalid configuration: tls.validityDays must be at least 2");
    }
    if (redirectPort != null && (redirectPort < 0 || redirectPort > 65535)) {
      throw new IllegalArgumentException("invalid configuration: tls.redirectPort must be 0..65535");
    }
    if (hstsMaxAge.isNegative()) {
      throw new IllegalArgumentException("invalid configuration: tls.hstsMaxAgeSeconds must not be negative");
    }
  }

  /** Whether the operator gave the certificate, rather than the node making its own. */
  public boolean operatorCertificate() {
    return certFile != null;
  }

  /** The scheme devices reach this node with. */
  public String scheme() {
    return enabled ? "https" : "http";
  }
}
