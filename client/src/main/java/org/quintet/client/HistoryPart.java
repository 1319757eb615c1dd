package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolException;

/**
 * One message of the history a primary sends a companion it linked (docs/linking.md, "After
 * linking: history"), content type {@code history}:
 * {@code {"v":1,"type":"history","part","parts","messages":[{"id","peer","from","fromDevice",
 * "outgoing","body","ts"}]}}. Parts are numbered 1..parts; each holds at most
 * {@value #MAX_MESSAGES} texts and fits one message's plaintext.
 */
public record HistoryPart(int part, int parts, List<HistoryEntry> messages) implements Content {
  public static final String TYPE = "history";
  public static final int MAX_MESSAGES = 100;
  /** A history of {@link LocalStore}'s 10 000 texts needs at most as many parts. */
  public static final int MAX_PARTS = 10_000;
  private static final ObjectMapper JSON = ContentJson.MAPPER;
  /** The part's own fields around the texts, with room for the largest part numbers. */
  private static final int FRAME_BYTES = 96;

  public HistoryPart {
    messages = List.copyOf(messages);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * The texts cut into parts, in order: at most {@value #MAX_MESSAGES} a part and no part larger
   * than a message may be. A text too long to travel in a part of its own is left out. Always at
   * least one part, even with no texts, so that the companion learns that its history is complete.
   */
  public static List<HistoryPart> split(List<HistoryEntry> texts) {
    List<List<HistoryEntry>> groups = new ArrayList<>();
    List<HistoryEntry> group = new ArrayList<>();
    int size = FRAME_BYTES;
    for (HistoryEntry text : texts) {
      // The text's JSON and the comma before it.
      int length = ContentJson.bytes(encode(text)).length + 1;
      if (FRAME_BYTES + length > Limits.MAX_PLAINTEXT) {
        continue;
      }
      if (group.size() == MAX_MESSAGES || size + length > Limits.MAX_PLAINTEXT) {
        groups.add(group);
        group = new ArrayList<>();
        size = FRAME_BYTES;
      }
      group.add(text);
      size += length;
    }
    groups.add(group);
    List<HistoryPart> parts = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      parts.add(new HistoryPart(i + 1, groups.size(), groups.get(i)));
    }
    return parts;
  }

  public byte[] encode() {
    ArrayNode texts = JSON.createArrayNode();
    messages.forEach(text -> texts.add(encode(text)));
    ObjectNode node = ContentJson.frame(TYPE).put("part", part).put("parts", parts);
    node.set("messages", texts);
    return ContentJson.bytes(node);
  }

  private static ObjectNode encode(HistoryEntry text) {
    return JSON.createObjectNode().put("id", text.id()).put("peer", text.peer()).put("from", text.from())
        .put("fromDevice", text.fromDevice()).put("outgoing", text.outgoing()).put("body", text.body())
        .put("ts", text.timestamp());
  }

  /** Reads a part's fields; any missing or of another type is {@code MALFORMED}. */
  static HistoryPart decode(JsonNode node, String peer) throws ProtocolException {
    JsonNode texts = node.path("messages");
    boolean numbered = ContentJson.isInteger(node.path("parts"), 1, MAX_PARTS)
        && ContentJson.isInteger(node.path("part"), 1, node.path("parts").asLong());
    if (!numbered || !texts.isArray() || texts.size() > MAX_MESSAGES) {
      throw ContentJson.malformed("the history part's numbers or texts are not valid");
    }
    List<HistoryEntry> messages = new ArrayList<>(texts.size());
    for (JsonNode text : texts) {
      messages.add(decodeText(text));
    }
    return new HistoryPart(node.get("part").asInt(), node.get("parts").asInt(), messages);
  }

  private static HistoryEntry decodeText(JsonNode text) throws ProtocolException {
    String id = text.path("id").textValue();
    String peer = text.path("peer").textValue();
    String from = text.path("from").textValue();
    JsonNode fromDevice = text.path("fromDevice");
    JsonNode ts = text.path("ts");
    boolean valid = ContentJson.isMessageId(id) && peer != null && Envelope.isNumber(peer)
        && from != null && Envelope.isNumber(from) && ContentJson.isInteger(fromDevice, 1, 0xFFFF_FFFFL)
        && text.path("outgoing").isBoolean() && text.path("body").isTextual() && ContentJson.isTime(ts);
    if (!valid) {
      throw ContentJson.malformed("a text of the history lacks a field or has one of another type");
    }
    return new HistoryEntry(id, peer, text.get("outgoing").booleanValue(), from, fromDevice.asLong(), ts.asLong(),
        text.get("body").textValue());
  }

}
