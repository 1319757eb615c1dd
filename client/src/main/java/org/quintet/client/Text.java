package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.quintet.protocol.ProtocolException;

/**
 * A text, content type {@code text}: {@code {"v":1,"type":"text","body":"...","ts":ms,"peer":"+number"}}.
 * {@code peer} is set only on the copies for the sender's own other devices.
 */
public record Text(String body, long timestamp, String peer) implements Content {
  public static final String TYPE = "text";

  @Override
  public String type() {
    return TYPE;
  }

  public Text withPeer(String peer) {
    return new Text(body, timestamp, peer);
  }

  public byte[] encode() {
    ObjectNode node = ContentJson.MAPPER.createObjectNode().put("v", VERSION).put("type", TYPE).put("body", body)
        .put("ts", timestamp);
    if (peer != null) {
      node.put("peer", peer);
    }
    return ContentJson.bytes(node);
  }

  static Text decode(JsonNode node, String peer) throws ProtocolException {
    if (!node.path("body").isTextual()) {
      throw ContentJson.malformed("the text has no body");
    }
    if (!ContentJson.isTime(node.path("ts"))) {
      throw ContentJson.malformed("the text has no time");
    }
    return new Text(node.get("body").textValue(), node.get("ts").longValue(), peer);
  }
}
