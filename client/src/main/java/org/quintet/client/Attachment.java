package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.quintet.protocol.ProtocolException;

/**
 * A file, photo or voice note, content type {@code attachment}: the {@link AttachmentPointer}'s
 * fields, then {@code "caption"?}, {@code "ts"}, {@code "quote"?} (a reply, as a text has it) and
 * {@code "peer"?}. The file itself is the blob the pointer names, encrypted (docs/protocol.md, 8a).
 */
public record Attachment(AttachmentPointer pointer, String caption, long timestamp, String peer, Quote quote)
    implements WritableContent {
  public static final String TYPE = "attachment";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Attachment withPeer(String peer) {
    return new Attachment(pointer, caption, timestamp, peer, quote);
  }

  @Override
  public byte[] encode() {
    ObjectNode node = ContentJson.frame(TYPE);
    pointer.encodeInto(node);
    if (caption != null) {
      node.put("caption", caption);
    }
    node.put("ts", timestamp);
    if (quote != null) {
      node.set("quote", quote.encode());
    }
    return ContentJson.written(node, peer);
  }

  static Attachment decode(JsonNode node, String peer) throws ProtocolException {
    AttachmentPointer pointer = AttachmentPointer.decode(node);
    String caption = null;
    if (node.has("caption")) {
      if (!node.get("caption").isTextual()) {
        throw ContentJson.malformed("an attachment's caption is text");
      }
      caption = node.get("caption").textValue();
    }
    long ts = ContentJson.time(node, "attachment");
    Quote quote = node.has("quote") ? Quote.decode(node.get("quote")) : null;
    return new Attachment(pointer, caption, ts, peer, quote);
  }
}
