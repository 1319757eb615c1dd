package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.quintet.protocol.ProtocolException;

/**
 * The name an account shows to the people it talks to, content type {@code profile}:
 * {@code {"v":1,"type":"profile","name","ts"}}, 1 to {@link ContentLimits#MAX_PROFILE_NAME_CHARS}
 * UTF-16 units without a control character; the latest {@code ts} wins.
 */
public record Profile(String name, long timestamp, String peer) implements WritableContent {
  public static final String TYPE = "profile";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Profile withPeer(String peer) {
    return new Profile(name, timestamp, peer);
  }

  @Override
  public byte[] encode() {
    return ContentJson.written(ContentJson.frame(TYPE).put("name", name).put("ts", timestamp), peer);
  }

  static Profile decode(JsonNode node, String peer) throws ProtocolException {
    String name = node.path("name").textValue();
    if (!ContentJson.isProfileName(name)) {
      throw ContentJson.malformed("a profile name is 1 to " + ContentLimits.MAX_PROFILE_NAME_CHARS
          + " printable characters");
    }
    return new Profile(name, ContentJson.time(node, "profile"), peer);
  }
}
