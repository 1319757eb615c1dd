package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.quintet.protocol.ProtocolException;

/**
 * Messages read, content type {@code read}: {@code {"v":1,"type":"read","targets":[...],"ts"}}, 1 to
 * {@link ContentLimits#MAX_TARGETS} ids. To the targets' author it is a read receipt (unless the
 * reader's account turned them off); with {@code peer}, to the reader's own other devices, it says
 * that the conversation was read there.
 */
public record Read(List<String> targets, long timestamp, String peer) implements WritableContent {
  public static final String TYPE = "read";

  public Read {
    targets = List.copyOf(targets);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Read withPeer(String peer) {
    return new Read(targets, timestamp, peer);
  }

  @Override
  public byte[] encode() {
    var node = ContentJson.frame(TYPE);
    node.set("targets", ContentJson.array(targets));
    return ContentJson.written(node.put("ts", timestamp), peer);
  }

  static Read decode(JsonNode node, String peer) throws ProtocolException {
    return new Read(ContentJson.targets(node, "read receipt"), ContentJson.time(node, "read receipt"), peer);
  }
}
