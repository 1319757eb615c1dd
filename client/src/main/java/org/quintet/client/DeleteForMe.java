package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.quintet.protocol.ProtocolException;

/**
 * Messages this account no longer shows, content type {@code delete-for-me}:
 * {@code {"v":1,"type":"delete-for-me","targets":[...],"ts"}}, 1 to
 * {@link ContentLimits#MAX_TARGETS} ids, sent by a device of the account to its own other devices
 * only (and taken from them alone).
 */
public record DeleteForMe(List<String> targets, long timestamp, String peer) implements WritableContent {
  public static final String TYPE = "delete-for-me";

  public DeleteForMe {
    targets = List.copyOf(targets);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public DeleteForMe withPeer(String peer) {
    return new DeleteForMe(targets, timestamp, peer);
  }

  @Override
  public byte[] encode() {
    var node = ContentJson.frame(TYPE);
    node.set("targets", ContentJson.array(targets));
    return ContentJson.written(node.put("ts", timestamp), peer);
  }

  static DeleteForMe decode(JsonNode node, String peer) throws ProtocolException {
    return new DeleteForMe(ContentJson.targets(node, "delete for me"), ContentJson.time(node, "delete for me"), peer);
  }
}
