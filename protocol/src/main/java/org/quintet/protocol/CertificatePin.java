package org.quintet.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How a person names the certificate of a relay they trust, and how a device checks it. Two
 * forms: the certificate's SHA-256 fingerprint (what a browser shows; changes at every renewal)
 * and the pin of its public key, {@code sha256/} + base64 of the SHA-256 of the
 * SubjectPublicKeyInfo (what Chromium's {@code --ignore-certificate-errors-spki-list} takes;
 * the relay keeps its key when it renews its own certificate, so this one stays).
 */
public final class CertificatePin {
  public static final String PIN_PREFIX = "sha256/";
  private static final int SHA256_BYTES = 32;

  private CertificatePin() {}

  /** {@code sha256/BASE64} of the certificate's public key. */
  public static String publicKeyPin(X509Certificate certificate) {
    return PIN_PREFIX + Base64.getEncoder().encodeToString(sha256(certificate.getPublicKey().getEncoded()));
  }

  /** The certificate's SHA-256 fingerprint as browsers show it: {@code AB:CD:...}. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the certificate cannot be encoded", e);
    }
  }

  /**
   * What a person typed, in the one form it is kept in: a {@code sha256/BASE64} public-key pin
   * as is, or a fingerprint in hex (colons, spaces and case as they like) as {@code AB:CD:...}.
   */
  public static String normalize(String typed) {
    String trimmed = typed == null ? "" : typed.trim();
    if (trimmed.startsWith(PIN_PREFIX)) {
      byte[] digest;
      try {
        digest = Base64.getDecoder().decode(trimmed.substring(PIN_PREFIX.length()));
      } catch (IllegalArgumentException e) {
        digest = new byte[0];
      }
      if (digest.length != SHA256_BYTES) {
        throw new IllegalArgumentException("a public-key pin is sha256/ and the base64 of 32 bytes, not \"" + trimmed + "\"");
      }
      return PIN_PREFIX + Base64.getEncoder().encodeToString(digest);
    }
    String hex = trimmed.replaceAll("[:\\s]", "").toUpperCase(Locale.ROOT);
    if (!hex.matches("[0-9A-F]{64}")) {
      throw new IllegalArgumentException("a certificate fingerprint is the 64 hex digits of its SHA-256"
          + " (colons allowed), or a public-key pin sha256/BASE64; not \"" + trimmed + "\"");
    }
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
  }

  /** Whether {@code pin} (in {@link #normalize normal} form) names this certificate or its key. */
  public static boolean matches(String pin, X509Certificate certificate) {
    return pin.equals(publicKeyPin(certificate)) || pin.equals(fingerprint(certificate));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
