package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.quintet.protocol.ProtocolException;

/**
 * Whether someone is typing, content type {@code typing}: {@code {"v":1,"type":"typing","typing","ts"}};
 * sent only to the devices online at that moment, kept nowhere.
 */
public record Typing(boolean typing, long timestamp, String peer) implements WritableContent {
  public static final String TYPE = "typing";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Typing withPeer(String peer) {
    return new Typing(typing, timestamp, peer);
  }

  @Override
  public byte[] encode() {
    return ContentJson.written(ContentJson.frame(TYPE).put("typing", typing).put("ts", timestamp), peer);
  }

  static Typing decode(JsonNode node, String peer) throws ProtocolException {
    if (!node.path("typing").isBoolean()) {
      throw ContentJson.malformed("typing is true or false");
    }
    return new Typing(node.get("typing").booleanValue(), ContentJson.time(node, "typing signal"), peer);
  }
}
