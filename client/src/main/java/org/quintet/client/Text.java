package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.quintet.protocol.ProtocolException;

/**
 * A text, content type {@code text}:
 * {@code {"v":1,"type":"text","body":"...","ts":ms,"quote"?:{...},"peer"?:"+number"}}. {@code quote},
 * on a reply, is the message answered (null otherwise); {@code peer} is set only on the copies for
 * the sender's own other devices.
 */
public record Text(String body, long timestamp, String peer, Quote quote) implements WritableContent {
  public static final String TYPE = "text";

  public Text(String body, long timestamp, String peer) {
    this(body, timestamp, peer, null);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Text withPeer(String peer) {
    return new Text(body, timestamp, peer, quote);
  }

  @Override
  public byte[] encode() {
    var node = ContentJson.frame(TYPE).put("body", body).put("ts", timestamp);
    if (quote != null) {
      node.set("quote", quote.encode());
    }
    return ContentJson.written(node, peer);
  }

  static Text decode(JsonNode node, String peer) throws ProtocolException {
    if (!node.path("body").isTextual()) {
      throw ContentJson.malformed("the text has no body");
    }
    long ts = ContentJson.time(node, "text");
    Quote quote = node.has("quote") ? Quote.decode(node.get("quote")) : null;
    return new Text(node.get("body").textValue(), ts, peer, quote);
  }
}
