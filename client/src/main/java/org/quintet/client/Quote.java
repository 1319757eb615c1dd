package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolException;

/**
 * The message a reply answers: its id, its author's number, and the start of its text (at most
 * {@link ContentLimits#MAX_QUOTE_CHARS} UTF-16 units), so that a device that does not hold it can
 * still show it.
 */
public record Quote(String id, String author, String body) {
  /** The quote of a text: its first characters, never half of a character. */
  static Quote of(String id, String author, String text) {
    int end = Math.min(text.length(), ContentLimits.MAX_QUOTE_CHARS);
    if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return new Quote(id, author, text.substring(0, end));
  }

  ObjectNode encode() {
    return ContentJson.MAPPER.createObjectNode().put("id", id).put("author", author).put("body", body);
  }

  static Quote decode(JsonNode node) throws ProtocolException {
    String id = node.path("id").textValue();
    String author = node.path("author").textValue();
    String body = node.path("body").textValue();
    if (!node.isObject() || !ContentJson.isMessageId(id) || !Envelope.isNumber(author) || body == null
        || body.length() > ContentLimits.MAX_QUOTE_CHARS) {
      throw ContentJson.malformed("the quote needs the id, author and at most " + ContentLimits.MAX_QUOTE_CHARS
          + " characters of its text");
    }
    return new Quote(id, author, body);
  }
}
