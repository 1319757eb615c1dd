package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.quintet.protocol.ProtocolException;

/**
 * The author takes a message back, for everyone: content type {@code delete},
 * {@code {"v":1,"type":"delete","target","ts"}}; taken only from the target's author, within
 * {@link ContentLimits#DELETE_WINDOW_MS} of the target's time.
 */
public record Delete(String target, long timestamp, String peer) implements WritableContent {
  public static final String TYPE = "delete";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Delete withPeer(String peer) {
    return new Delete(target, timestamp, peer);
  }

  @Override
  public byte[] encode() {
    return ContentJson.written(ContentJson.frame(TYPE).put("target", target).put("ts", timestamp), peer);
  }

  static Delete decode(JsonNode node, String peer) throws ProtocolException {
    return new Delete(ContentJson.target(node, "delete"), ContentJson.time(node, "delete"), peer);
  }
}
