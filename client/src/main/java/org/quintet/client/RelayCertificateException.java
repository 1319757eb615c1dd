package org.quintet.client;

import java.security.cert.X509Certificate;
import org.quintet.protocol.CertificatePin;

/**
 * The relay answered with a certificate this device does not trust: not signed by an authority
 * the system trusts, or not the one its owner pinned. Carries what a person compares with what
 * the relay printed when it started, and the pin to trust it by.
 */
public final class RelayCertificateException extends RuntimeException {
  private final String relayUrl;
  private final String fingerprint;
  private final String publicKeyPin;
  private final boolean pinned;

  RelayCertificateException(String relayUrl, X509Certificate presented, boolean pinned, Throwable cause) {
    super(message(relayUrl, presented, pinned), cause, false, false);
    this.relayUrl = relayUrl;
    this.fingerprint = CertificatePin.fingerprint(presented);
    this.publicKeyPin = CertificatePin.publicKeyPin(presented);
    this.pinned = pinned;
  }

  private static String message(String relayUrl, X509Certificate presented, boolean pinned) {
    return "the relay at " + relayUrl + " presented a certificate this device does not trust ("
        + (pinned ? "it matches none of the pins this device holds" : "no authority of this system signed it for that name")
        + "): SHA-256 fingerprint " + CertificatePin.fingerprint(presented) + ", public-key pin "
        + CertificatePin.publicKeyPin(presented);
  }

  public String relayUrl() {
    return relayUrl;
  }

  /** The certificate's SHA-256 fingerprint, as the relay's log and a browser show it. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The pin to trust the relay's key by ({@code sha256/BASE64}); it survives the relay's renewals. */
  public String publicKeyPin() {
    return publicKeyPin;
  }

  /** Whether the device trusted the relay by pins (which this certificate does not match). */
  public boolean pinned() {
    return pinned;
  }
}
