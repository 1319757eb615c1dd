package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * The plaintext inside the ratchet: a small JSON object,
 * {@code {"v":1,"type":"text","body":"...","ts":ms,"peer":"+number"}}. {@code peer} is set only on
 * the copies for the sender's own other devices, and names the other account of the
 * conversation, so that every device of the sender shows the text in the right chat.
 */
public record Content(String type, String body, long timestamp, String peer) {
  public static final int VERSION = 1;
  public static final String TEXT = "text";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static Content text(String body, long timestamp, String peer) {
    return new Content(TEXT, body, timestamp, peer);
  }

  public Content withPeer(String peer) {
    return new Content(type, body, timestamp, peer);
  }

  public byte[] encode() {
    ObjectNode node = JSON.createObjectNode().put("v", VERSION).put("type", type).put("body", body).put("ts", timestamp);
    if (peer != null) {
      node.put("peer", peer);
    }
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON object does not serialise", e);
    }
  }

  /**
   * Decodes a plaintext; anything but a version 1 object with a type (and, for a text, a body and
   * a time) is {@code MALFORMED}. Other types may carry more fields, which their own decoders read
   * ({@link HistoryPart}).
   */
  public static Content decode(byte[] plaintext) throws ProtocolException {
    JsonNode node;
    try {
      node = JSON.readTree(plaintext);
    } catch (IOException e) {
      throw malformed("the message is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw malformed("the message is not a JSON object");
    }
    if (!node.path("v").isInt() || node.path("v").intValue() != VERSION) {
      throw new ProtocolException(ProtocolError.UNSUPPORTED_VERSION, "message content version " + node.path("v"));
    }
    if (!node.path("type").isTextual()) {
      throw malformed("the message lacks its type");
    }
    boolean text = TEXT.equals(node.get("type").textValue());
    JsonNode ts = node.path("ts");
    boolean hasTime = ts.isIntegralNumber() && ts.canConvertToLong();
    if (text ? !hasTime : !ts.isMissingNode() && !hasTime) {
      throw malformed("the message lacks its time");
    }
    JsonNode body = node.path("body");
    if (text ? !body.isTextual() : !body.isMissingNode() && !body.isTextual()) {
      throw malformed("the message has no text body");
    }
    JsonNode peer = node.path("peer");
    if (!peer.isMissingNode() && !(peer.isTextual() && Envelope.isNumber(peer.textValue()))) {
      throw malformed("the message names a peer that is not a number");
    }
    return new Content(node.get("type").textValue(), body.textValue(), ts.asLong(0),
        peer.isMissingNode() ? null : peer.textValue());
  }

  private static ProtocolException malformed(String detail) {
    return new ProtocolException(ProtocolError.MALFORMED, detail);
  }
}
