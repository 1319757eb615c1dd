package org.quintet.protocol;

/** The 8-symbol pairing code {@code XXXX-XXXX} (docs/protocol.md section 7.2). */
public final class LinkCode {
  public static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
  public static final int LENGTH = 8;

  private LinkCode() {}

  /** Draws 5 bytes and reads them as eight 5-bit alphabet indices, most significant first. */
  public static String generate(KeySource source) {
    byte[] random = source.bytes(5);
    long bits = 0;
    for (byte b : random) {
      bits = (bits << 8) | (b & 0xFF);
    }
    StringBuilder code = new StringBuilder(LENGTH);
    for (int i = LENGTH - 1; i >= 0; i--) {
      code.append(ALPHABET.charAt((int) ((bits >>> (5 * i)) & 31)));
    }
    return code.toString();
  }

  /** {@code ABCD-EFGH}: how the code is shown. */
  public static String format(String code) {
    return code.substring(0, 4) + "-" + code.substring(4);
  }

  /** Removes spaces and dashes and upper-cases; anything but 8 alphabet symbols is refused. */
  public static String normalise(String input) throws ProtocolException {
    StringBuilder code = new StringBuilder(LENGTH);
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      char upper = (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
      if (ALPHABET.indexOf(upper) < 0) {
        throw new ProtocolException(ProtocolError.INVALID_CODE, "the code has a character outside its alphabet");
      }
      code.append(upper);
    }
    if (code.length() != LENGTH) {
      throw new ProtocolException(ProtocolError.INVALID_CODE, "the code has " + code.length() + " symbols, not 8");
    }
    return code.toString();
  }
}
