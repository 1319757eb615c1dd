package org.quintet.relay.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.quintet.protocol.CertificatePin;

/**
 * A certificate chain and its private key, checked to belong together, as the HTTPS server takes
 * them. Read from the operator's PEM files (any of the usual key encodings: PKCS#8, or the
 * traditional RSA and EC forms certbot and openssl write) or made by {@link SelfSignedCertificate}.
 */
public record ServerCertificate(List<X509Certificate> chain, PrivateKey key) {

  public ServerCertificate {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no certificate");
    }
  }

  /** Reads and checks the operator's files; the message of a failure names the file and what is wrong. */
  public static ServerCertificate read(Path certFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = readChain(certFile);
    PrivateKey key = readKey(keyFile);
    ServerCertificate certificate = new ServerCertificate(chain, key);
    if (!certificate.keyMatches()) {
      throw new IOException("the key in " + keyFile + " is not the key of the certificate in " + certFile);
    }
    return certificate;
  }

  static List<X509Certificate> readChain(Path certFile) throws IOException {
    byte[] pem = Files.readAllBytes(certFile);
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate certificate : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))) {
        chain.add((X509Certificate) certificate);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(certFile + " is not a PEM certificate chain: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new IOException(certFile + " holds no certificate");
    }
    return chain;
  }

  static PrivateKey readKey(Path keyFile) throws IOException {
    String text = Files.readString(keyFile, US_ASCII);
    Object read;
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      read = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IOException(keyFile + " is not a readable PEM file");
    }
    PrivateKeyInfo info = read instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
        : read instanceof PrivateKeyInfo alone ? alone : null;
    if (info == null) {
      throw new IOException(keyFile + " holds no unencrypted private key");
    }
    return privateKey(info, keyFile);
  }

  /**
   * The key as the JDK's own providers take it (the TLS stack signs with them): parsed by
   * BouncyCastle, which reads every encoding (a SEC 1 key may leave its curve implicit), then
   * handed over as PKCS#8.
   */
  static PrivateKey privateKey(PrivateKeyInfo info, Path keyFile) throws IOException {
    try {
      PrivateKey parsed = new JcaPEMKeyConverter().setProvider(new BouncyCastleProvider()).getPrivateKey(info);
      String algorithm = parsed.getAlgorithm().equals("ECDSA") ? "EC" : parsed.getAlgorithm();
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(parsed.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException(keyFile + " holds a private key of a kind this relay cannot use: " + e.getMessage());
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /** What a browser shows as the certificate's SHA-256 fingerprint. */
  public String fingerprint() {
    return CertificatePin.fingerprint(leaf());
  }

  /** The public key's pin, {@code sha256/BASE64}: what devices and Chromium can pin. */
  public String publicKeyPin() {
    return CertificatePin.publicKeyPin(leaf());
  }

  /** The chain and key as Vert.x takes them: by value, so a renewed pair is a different option. */
  public PemKeyCertOptions keyCertOptions() {
    StringBuilder certs = new StringBuilder();
    for (X509Certificate certificate : chain) {
      certs.append(pem("CERTIFICATE", encoded(certificate)));
    }
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(certs.toString()))
        .addKeyValue(Buffer.buffer(pem("PRIVATE KEY", key.getEncoded())));
  }

  /** Whether {@code key} signs what the leaf's public key verifies. */
  boolean keyMatches() {
    try {
      String algorithm = switch (key.getAlgorithm()) {
        case "EC" -> "SHA256withECDSA";
        case "RSA" -> "SHA256withRSA";
        default -> key.getAlgorithm();
      };
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf().getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a parsed certificate encodes", e);
    }
  }
}
