package org.quintet.relay.api;

import java.math.BigInteger;

/**
 * The one way the relay reads an integer a client wrote: in a path, in a JSON body or in a
 * WebSocket frame. Only a whole number in range is read; anything else (a full-width or Arabic-Indic
 * digit, a sign, a leading zero, a fraction such as {@code 1.5} or {@code 1.0}, an exponent, a value
 * beyond 64 bits that would wrap) is a 400 {@code INVALID_REQUEST} that names what was expected.
 */
public final class Integers {
  /** Long.MAX_VALUE has 19 digits; longer text is out of any range the relay reads. */
  private static final int MAX_DIGITS = 19;

  private Integers() {}

  /**
   * Text (a path segment): ASCII digits, no sign, no leading zero (but "0" itself), in
   * {@code min..max}. {@code what} names it in the refusal ("a device id").
   */
  public static long parse(String text, long min, long max, String what) {
    if (text == null || text.isEmpty() || text.length() > MAX_DIGITS
        || (text.length() > 1 && text.charAt(0) == '0')) {
      throw outOfRange(what, min, max);
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // Character.isDigit and Long.parseLong take every script's digits (U+FF12 reads as 2).
      if (c < '0' || c > '9') {
        throw outOfRange(what, min, max);
      }
      if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
        throw outOfRange(what, min, max);
      }
      value = value * 10 + (c - '0');
    }
    if (value < min || value > max) {
      throw outOfRange(what, min, max);
    }
    return value;
  }

  /**
   * A parsed JSON value: an integer as JSON writes one (no fraction, no exponent), in
   * {@code min..max}. A JSON integer beyond 64 bits arrives as a {@link BigInteger}, whose
   * {@code longValue()} keeps only the low 64 bits (2^64 + 1 would read as 1): its range is judged
   * on the whole value.
   */
  public static long of(Object value, long min, long max, String what) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      long number = ((Number) value).longValue();
      if (number >= min && number <= max) {
        return number;
      }
    } else if (value instanceof BigInteger big) {
      if (big.compareTo(BigInteger.valueOf(min)) >= 0 && big.compareTo(BigInteger.valueOf(max)) <= 0) {
        return big.longValueExact();
      }
    }
    throw outOfRange(what, min, max);
  }

  private static ApiException outOfRange(String what, long min, long max) {
    return ApiException.invalid(what + " must be an integer " + min + ".." + max + " in ASCII digits");
  }
}
