package org.quintet.relay.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.quintet.relay.PrivateFiles;

/**
 * The certificate a node makes for itself when the operator gives none: an EC P-256 key kept in
 * {@code DATA/tls/} (made once, so the public-key pin devices and browsers hold survives renewals)
 * and a certificate for every name of this machine, made again when it nears its end or when a
 * name it should cover is missing (a new address, a name the operator added).
 */
public final class SelfSignedCertificate {
  static final String DIRECTORY = "tls";
  static final String KEY_FILE = "self-signed-key.pem";
  static final String CERT_FILE = "self-signed-cert.pem";
  /** Clocks of the machines that meet it may be a little behind this one. */
  private static final Duration BACKDATE = Duration.ofHours(1);

  private SelfSignedCertificate() {}

  /** The node's certificate, made or renewed first when it must be. Blocking: file and key work. */
  public static ServerCertificate loadOrMake(Path dataDir, Set<String> names, Duration validity, Clock clock)
      throws IOException {
    Path dir = dataDir.resolve(DIRECTORY);
    PrivateFiles.directory(dir);
    Path keyFile = dir.resolve(KEY_FILE);
    PrivateFiles.ifExists(keyFile);
    Path certFile = dir.resolve(CERT_FILE);
    KeyPair keys = Files.exists(keyFile) ? readKeys(keyFile) : makeKeys(keyFile);
    if (Files.exists(certFile)) {
      ServerCertificate kept = new ServerCertificate(ServerCertificate.readChain(certFile), keys.getPrivate());
      if (kept.keyMatches() && !needsRenewal(kept, names, validity, clock)) {
        return kept;
      }
    }
    X509Certificate made = make(keys, names, validity, clock);
    Files.writeString(certFile, ServerCertificate.pem("CERTIFICATE", encoded(made)), US_ASCII);
    return new ServerCertificate(List.of(made), keys.getPrivate());
  }

  /** When a certificate is renewed: a third of its validity before its end, at most 30 days before. */
  static Duration renewBefore(Duration validity) {
    Duration third = validity.dividedBy(3);
    Duration month = Duration.ofDays(30);
    return third.compareTo(month) < 0 ? third : month;
  }

  static boolean needsRenewal(ServerCertificate certificate, Set<String> names, Duration validity, Clock clock) {
    Instant now = clock.instant();
    return now.isAfter(certificate.notAfter().minus(renewBefore(validity)))
        || now.isBefore(certificate.leaf().getNotBefore().toInstant())
        || !covered(certificate.leaf()).containsAll(names);
  }

  private static Set<String> covered(X509Certificate certificate) {
    Set<String> names = new HashSet<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        alternatives.forEach(entry -> names.add(String.valueOf(entry.get(1))));
      }
    } catch (CertificateParsingException e) {
      // unreadable names: none covered, so it is made again
    }
    return names;
  }

  private static X509Certificate make(KeyPair keys, Set<String> names, Duration validity, Clock clock)
      throws IOException {
    Instant now = clock.instant();
    X500Name subject = new X500Name("CN=Quintet relay (self-signed)");
    GeneralName[] alternatives = names.stream()
        .map(name -> new GeneralName(LocalNames.isAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name))
        .toArray(GeneralName[]::new);
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(127, new SecureRandom()), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)),
          subject, keys.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives))
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("the self-signed certificate could not be made: " + e.getMessage(), e);
    }
  }

  /** A new key, written with its public half (PKCS#8, then the SubjectPublicKeyInfo) so the pair reads back whole. */
  private static KeyPair makeKeys(Path keyFile) throws IOException {
    KeyPair keys;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("no EC P-256 key could be made: " + e.getMessage(), e);
    }
    Files.deleteIfExists(keyFile);
    Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, ServerCertificate.pem("PRIVATE KEY", keys.getPrivate().getEncoded())
        + ServerCertificate.pem("PUBLIC KEY", keys.getPublic().getEncoded()), US_ASCII);
    return keys;
  }

  private static KeyPair readKeys(Path keyFile) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(keyFile, US_ASCII)))) {
      if (parser.readObject() instanceof PrivateKeyInfo privateKey
          && parser.readObject() instanceof SubjectPublicKeyInfo publicKey) {
        return new KeyPair(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(publicKey.getEncoded())),
            ServerCertificate.privateKey(privateKey, keyFile));
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // said below
    }
    throw new IOException(keyFile + " is not the key this relay made; delete " + keyFile.getParent()
        + " to make a new one (devices that pinned the old one must then pin the new)");
  }

  private static byte[] encoded(X509Certificate certificate) throws IOException {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
