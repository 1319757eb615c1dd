package org.quintet.protocol;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The primitives of docs/protocol.md section 1, and nothing else: every other class goes through
 * here, so the algorithms the protocol depends on are listed in one place.
 */
public final class Crypto {
  public static final int KEY_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;
  public static final int GCM_TAG_LENGTH = 16;
  public static final int GCM_NONCE_LENGTH = 12;

  private Crypto() {}

  public static byte[] x25519PublicKey(byte[] privateKey) {
    byte[] pub = new byte[KEY_LENGTH];
    X25519.scalarMultBase(privateKey, 0, pub, 0);
    return pub;
  }

  /**
   * X25519 that refuses, instead of masking, a public key with its most significant bit set:
   * otherwise that bit could be flipped in transit without changing any key.
   */
  public static byte[] x25519(byte[] privateKey, byte[] publicKey) throws ProtocolException {
    if (publicKey.length != KEY_LENGTH || (publicKey[KEY_LENGTH - 1] & 0x80) != 0) {
      throw new ProtocolException(ProtocolError.INVALID_KEY, "non-canonical X25519 public key");
    }
    byte[] shared = new byte[KEY_LENGTH];
    if (!X25519.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0)) {
      throw new ProtocolException(ProtocolError.INVALID_KEY, "key agreement with a low-order key");
    }
    return shared;
  }

  public static byte[] ed25519PublicKey(byte[] seed) {
    byte[] pub = new byte[KEY_LENGTH];
    Ed25519.generatePublicKey(seed, 0, pub, 0);
    return pub;
  }

  public static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
    byte[] signature = new byte[SIGNATURE_LENGTH];
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return signature.length == SIGNATURE_LENGTH
        && publicKey.length == KEY_LENGTH
        && Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  public static byte[] hkdf(byte[] salt, byte[] ikm, String info, int length) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, salt, Bytes.ascii(info)));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  public static byte[] hmac(byte[] key, byte[] message) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(message, 0, message.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }

  public static byte[] sha256(byte[] message) {
    return digest("SHA-256").digest(message);
  }

  public static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  /**
   * PBKDF2-HMAC-SHA256 over an ASCII password (the JDK encodes it as UTF-8, which is the same
   * bytes); the JDK's is about three times faster than a pure-Java one here.
   */
  public static byte[] pbkdf2(String asciiPassword, byte[] salt, int iterations, int length) {
    for (int i = 0; i < asciiPassword.length(); i++) {
      if (asciiPassword.charAt(i) > 0x7F) {
        throw new IllegalArgumentException("PBKDF2 passwords here are ASCII");
      }
    }
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(asciiPassword.toCharArray(), salt, iterations, length * 8))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 is unavailable", e);
    }
  }

  public static byte[] gcmSeal(byte[] key, byte[] nonce, byte[] plaintext, byte[] ad) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(GCM_TAG_LENGTH * 8, nonce));
      cipher.updateAAD(ad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  public static byte[] gcmOpen(byte[] key, byte[] nonce, byte[] ciphertext, byte[] ad)
      throws ProtocolException {
    if (ciphertext.length < GCM_TAG_LENGTH) {
      throw ProtocolException.malformed("ciphertext shorter than its tag");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(GCM_TAG_LENGTH * 8, nonce));
      cipher.updateAAD(ad);
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new ProtocolException(ProtocolError.AUTH_FAILED, "ciphertext did not authenticate");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** AES-256-CTR; the counter block is incremented as one 128-bit integer, as the JDK does. */
  public static byte[] ctr(byte[] key, byte[] iv, byte[] data) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR is unavailable", e);
    }
  }
}
