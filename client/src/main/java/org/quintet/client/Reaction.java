package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import org.quintet.protocol.ProtocolException;

/**
 * A reaction, content type {@code reaction}: {@code {"v":1,"type":"reaction","target","emoji","ts"}}.
 * One emoji (at most {@link ContentLimits#MAX_EMOJI_CHARS} UTF-16 units, no white space or control
 * character) for the message {@code target}, or {@code ""} to take the reaction back. An account
 * has one reaction per message; the latest {@code ts} wins.
 */
public record Reaction(String target, String emoji, long timestamp, String peer) implements WritableContent {
  public static final String TYPE = "reaction";

  @Override
  public String type() {
    return TYPE;
  }

  /** Whether this takes the account's reaction back. */
  public boolean removes() {
    return emoji.isEmpty();
  }

  @Override
  public Reaction withPeer(String peer) {
    return new Reaction(target, emoji, timestamp, peer);
  }

  @Override
  public byte[] encode() {
    return ContentJson.written(ContentJson.frame(TYPE).put("target", target).put("emoji", emoji).put("ts", timestamp),
        peer);
  }

  static Reaction decode(JsonNode node, String peer) throws ProtocolException {
    String target = ContentJson.target(node, "reaction");
    String emoji = node.path("emoji").textValue();
    if (!ContentJson.isReactionEmoji(emoji)) {
      throw ContentJson.malformed("a reaction is one emoji, or empty to take it back");
    }
    return new Reaction(target, emoji, ContentJson.time(node, "reaction"), peer);
  }
}
