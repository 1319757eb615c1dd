package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.quintet.protocol.ProtocolException;

/**
 * The author's new text of a message, content type {@code edit}:
 * {@code {"v":1,"type":"edit","target","body","ts"}}; taken only from the target's author, within
 * {@link ContentLimits#EDIT_WINDOW_MS} of the target's time.
 */
public record Edit(String target, String body, long timestamp, String peer) implements WritableContent {
  public static final String TYPE = "edit";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Edit withPeer(String peer) {
    return new Edit(target, body, timestamp, peer);
  }

  @Override
  public byte[] encode() {
    return ContentJson.written(ContentJson.frame(TYPE).put("target", target).put("body", body).put("ts", timestamp),
        peer);
  }

  static Edit decode(JsonNode node, String peer) throws ProtocolException {
    String target = ContentJson.target(node, "edit");
    if (!node.path("body").isTextual()) {
      throw ContentJson.malformed("the edit has no body");
    }
    return new Edit(target, node.get("body").textValue(), ContentJson.time(node, "edit"), peer);
  }
}
