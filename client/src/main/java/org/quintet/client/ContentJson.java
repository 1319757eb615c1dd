package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/** What the content types' codecs share: the JSON mapper and the checks of numbers. */
final class ContentJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ContentJson() {}

  static ProtocolException malformed(String detail) {
    return new ProtocolException(ProtocolError.MALFORMED, detail);
  }

  /** A JSON number holding an integer in min..max; 5.0 is 5, as it is in JavaScript. */
  static boolean isInteger(JsonNode node, long min, long max) {
    if (!node.isNumber()) {
      return false;
    }
    BigDecimal value = node.decimalValue();
    return value.stripTrailingZeros().scale() <= 0 && value.compareTo(BigDecimal.valueOf(min)) >= 0
        && value.compareTo(BigDecimal.valueOf(max)) <= 0;
  }

  /** Milliseconds since the epoch: an integer in 0..2^53-1. */
  static boolean isTime(JsonNode node) {
    return isInteger(node, 0, Limits.MAX_U64);
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON object does not serialise", e);
    }
  }
}
