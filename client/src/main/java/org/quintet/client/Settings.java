package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.quintet.protocol.ProtocolException;

/**
 * The account's settings, content type {@code settings}: {@code {"v":1,"type":"settings","readReceipts","ts"}},
 * sent by a device of the account to its own other devices (and taken from them alone); the latest
 * {@code ts} wins.
 */
public record Settings(boolean readReceipts, long timestamp, String peer) implements WritableContent {
  public static final String TYPE = "settings";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Settings withPeer(String peer) {
    return new Settings(readReceipts, timestamp, peer);
  }

  @Override
  public byte[] encode() {
    return ContentJson.written(ContentJson.frame(TYPE).put("readReceipts", readReceipts).put("ts", timestamp), peer);
  }

  static Settings decode(JsonNode node, String peer) throws ProtocolException {
    if (!node.path("readReceipts").isBoolean()) {
      throw ContentJson.malformed("the settings say whether read receipts are sent");
    }
    return new Settings(node.get("readReceipts").booleanValue(), ContentJson.time(node, "settings"), peer);
  }
}
