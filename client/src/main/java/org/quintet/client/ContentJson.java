package org.quintet.client;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * What the content types' codecs share: the JSON mapper, the checks of numbers, message ids and
 * strings, and the frame of a written content ({@code v} and {@code type} first, {@code peer} last).
 */
final class ContentJson {
  /**
   * Writes a character beyond the BMP (an emoji) as its UTF-8 bytes, as JavaScript's
   * {@code JSON.stringify} does, not as an escaped surrogate pair: the two clients write a content
   * byte for byte alike, and a history part's size is counted alike.
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-f]{32}");
  /** What JavaScript's {@code \s} matches, which the browser's decoder refuses in an emoji. */
  private static final Pattern WHITE_SPACE = Pattern.compile("[\\p{IsWhite_Space}\\x{FEFF}]");

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

  /** An envelope's message id as contents name it: 32 lower-case hex digits. */
  static boolean isMessageId(String id) {
    return id != null && MESSAGE_ID.matcher(id).matches();
  }

  /** A control character (as {@link Character#isISOControl}), which no name or emoji holds. */
  static boolean hasControl(String text) {
    return text.chars().anyMatch(Character::isISOControl);
  }

  static boolean hasWhiteSpace(String text) {
    return WHITE_SPACE.matcher(text).find();
  }

  /** A reaction's emoji as the wire bounds it ({@code ""} is a reaction taken back). */
  static boolean isReactionEmoji(String emoji) {
    return emoji != null && emoji.length() <= ContentLimits.MAX_EMOJI_CHARS && !hasWhiteSpace(emoji)
        && !hasControl(emoji);
  }

  /** A profile name as the wire bounds it. */
  static boolean isProfileName(String name) {
    return name != null && !name.isEmpty() && name.length() <= ContentLimits.MAX_PROFILE_NAME_CHARS
        && !hasControl(name);
  }

  /** The content's time ({@code ts}). */
  static long time(JsonNode node, String what) throws ProtocolException {
    JsonNode ts = node.path("ts");
    if (!isTime(ts)) {
      throw malformed("the " + what + " has no time");
    }
    return ts.longValue();
  }

  /** The one message the content is about ({@code target}). */
  static String target(JsonNode node, String what) throws ProtocolException {
    String target = node.path("target").textValue();
    if (!isMessageId(target)) {
      throw malformed("the " + what + " names no message (32 lower-case hex digits)");
    }
    return target;
  }

  /** The messages the content is about ({@code targets}): 1 to {@link ContentLimits#MAX_TARGETS}. */
  static List<String> targets(JsonNode node, String what) throws ProtocolException {
    JsonNode targets = node.path("targets");
    if (!targets.isArray() || targets.isEmpty() || targets.size() > ContentLimits.MAX_TARGETS) {
      throw malformed("the " + what + " names 1 to " + ContentLimits.MAX_TARGETS + " messages");
    }
    List<String> ids = new ArrayList<>(targets.size());
    for (JsonNode target : targets) {
      if (!isMessageId(target.textValue())) {
        throw malformed("the " + what + " names 1 to " + ContentLimits.MAX_TARGETS + " messages");
      }
      ids.add(target.textValue());
    }
    return List.copyOf(ids);
  }

  /** {@code {"v":1,"type":type}}, for the type's own fields to follow. */
  static ObjectNode frame(String type) {
    return MAPPER.createObjectNode().put("v", Content.VERSION).put("type", type);
  }

  static ArrayNode array(List<String> values) {
    ArrayNode array = MAPPER.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  /**
   * The content's bytes, {@code peer} last. Decoded again before it goes anywhere: a content its
   * receivers would refuse is never sent ({@link IllegalArgumentException} with the decoder's word).
   */
  static byte[] written(ObjectNode node, String peer) {
    if (peer != null) {
      node.put("peer", peer);
    }
    byte[] bytes = bytes(node);
    try {
      Content.decode(bytes);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(DeviceListVerifier.detail(e), e);
    }
    return bytes;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON object does not serialise", e);
    }
  }
}
