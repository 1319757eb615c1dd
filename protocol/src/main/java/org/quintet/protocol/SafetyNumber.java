package org.quintet.protocol;

import java.security.MessageDigest;

/** The 60-digit number two people compare to check each other's account keys (section 8). */
public final class SafetyNumber {
  private static final int ITERATIONS = 5200;

  private SafetyNumber() {}

  /** 30 digits for one account: its key and its number in E.164. */
  public static String fingerprint(byte[] accountKey, String number) throws ProtocolException {
    if (!Envelope.isNumber(number) || accountKey.length != Crypto.KEY_LENGTH) {
      throw ProtocolException.malformed("a fingerprint takes a 32-byte account key and an E.164 number");
    }
    MessageDigest sha512 = Crypto.digest("SHA-512");
    byte[] hash = Bytes.concat(Bytes.u16(0), accountKey, Bytes.ascii(number));
    for (int i = 0; i < ITERATIONS; i++) {
      sha512.update(hash);
      sha512.update(accountKey);
      hash = sha512.digest();
    }
    StringBuilder digits = new StringBuilder(30);
    for (int group = 0; group < 6; group++) {
      long value = 0;
      for (int i = 0; i < 5; i++) {
        value = (value << 8) | (hash[group * 5 + i] & 0xFFL);
      }
      digits.append(String.format("%05d", value % 100_000));
    }
    return digits.toString();
  }

  public static String between(byte[] accountKeyA, String numberA, byte[] accountKeyB, String numberB)
      throws ProtocolException {
    String a = fingerprint(accountKeyA, numberA);
    String b = fingerprint(accountKeyB, numberB);
    return a.compareTo(b) <= 0 ? a + b : b + a;
  }

  /** Twelve groups of five digits, as people read it aloud. */
  public static String display(String safetyNumber) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < safetyNumber.length(); i += 5) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(safetyNumber, i, Math.min(i + 5, safetyNumber.length()));
    }
    return out.toString();
  }
}
