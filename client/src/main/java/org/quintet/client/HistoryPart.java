package org.quintet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolException;

/**
 * One message of the history a primary sends a companion it linked (docs/linking.md, "After
 * linking: history"), content type {@code history}:
 * {@code {"v":1,"type":"history","part","parts","messages":[...],"profiles":[...]}}. Parts are
 * numbered 1..parts; each holds at most {@value #MAX_MESSAGES} texts, as the primary shows them
 * (status, quote, latest edit, deletion, reactions), and the names of the numbers they name, and
 * fits one message's plaintext.
 */
public record HistoryPart(int part, int parts, List<HistoryEntry> messages, Map<String, ProfileName> profiles)
    implements Content {
  public static final String TYPE = "history";
  public static final int MAX_MESSAGES = 100;
  /** A history of {@link LocalStore}'s 10 000 texts needs at most as many parts. */
  public static final int MAX_PARTS = 10_000;
  /** Reactions one text of the history carries at most: one per account. */
  public static final int MAX_REACTIONS = 256;
  /** Names one part carries at most: the account's own and two a text. */
  public static final int MAX_PROFILES = 256;
  private static final ObjectMapper JSON = ContentJson.MAPPER;
  /** The part's own fields around the texts and names, with room for the largest part numbers. */
  private static final int FRAME_BYTES = 96;

  public HistoryPart {
    messages = List.copyOf(messages);
    profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
  }

  public HistoryPart(int part, int parts, List<HistoryEntry> messages) {
    this(part, parts, messages, Map.of());
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * The texts cut into parts, in order: at most {@value #MAX_MESSAGES} a part and no part larger
   * than a message may be. Every part carries the names {@code known} holds of the account
   * ({@code self}) and of the numbers its texts come from and go to. A text too long to travel in a
   * part of its own is left out. Always at least one part, even with no texts, so that the
   * companion learns that its history is complete.
   */
  public static List<HistoryPart> split(List<HistoryEntry> texts, String self, Map<String, ProfileName> known) {
    List<HistoryPart> parts = new ArrayList<>();
    Group group = new Group(self, known);
    List<Group> groups = new ArrayList<>();
    for (HistoryEntry text : texts) {
      // The text's JSON and the comma before it.
      int length = ContentJson.bytes(encode(text)).length + 1;
      if (!new Group(self, known).fits(text, length)) {
        continue;
      }
      if (!group.fits(text, length)) {
        groups.add(group);
        group = new Group(self, known);
      }
      group.add(text, length);
    }
    groups.add(group);
    for (int i = 0; i < groups.size(); i++) {
      parts.add(new HistoryPart(i + 1, groups.size(), groups.get(i).texts, groups.get(i).names));
    }
    return parts;
  }

  /** The texts of one part being filled, the names they need, and its size in bytes. */
  private static final class Group {
    private final Map<String, ProfileName> known;
    private final List<HistoryEntry> texts = new ArrayList<>();
    private final Map<String, ProfileName> names = new LinkedHashMap<>();
    private int size = FRAME_BYTES;

    Group(String self, Map<String, ProfileName> known) {
      this.known = known;
      size += namesLength(Set.of(self), true);
    }

    boolean fits(HistoryEntry text, int length) {
      return texts.size() < MAX_MESSAGES && size + length + namesLength(numbers(text), false) <= Limits.MAX_PLAINTEXT;
    }

    void add(HistoryEntry text, int length) {
      size += length + namesLength(numbers(text), true);
      texts.add(text);
    }

    /** The numbers whose names the text needs, in the order the part lists them. */
    private static Set<String> numbers(HistoryEntry text) {
      return new LinkedHashSet<>(List.of(text.peer(), text.from()));
    }

    /** The bytes of the names of {@code numbers} this part lacks; {@code take} adds them to it. */
    private int namesLength(Set<String> numbers, boolean take) {
      int length = 0;
      for (String number : numbers) {
        ProfileName name = known.get(number);
        if (name != null && !names.containsKey(number)) {
          length += ContentJson.bytes(encode(number, name)).length + 1;
          if (take) {
            names.put(number, name);
          }
        }
      }
      return length;
    }
  }

  public byte[] encode() {
    ArrayNode texts = JSON.createArrayNode();
    messages.forEach(text -> texts.add(encode(text)));
    ObjectNode node = ContentJson.frame(TYPE).put("part", part).put("parts", parts);
    node.set("messages", texts);
    if (!profiles.isEmpty()) {
      ArrayNode names = node.putArray("profiles");
      profiles.forEach((number, name) -> names.add(encode(number, name)));
    }
    return ContentJson.bytes(node);
  }

  /** A text with what the primary shows of it; a quote, edit, deletion or reaction only where there is one. */
  private static ObjectNode encode(HistoryEntry text) {
    ObjectNode node = JSON.createObjectNode().put("id", text.id()).put("peer", text.peer()).put("from", text.from())
        .put("fromDevice", text.fromDevice()).put("outgoing", text.outgoing())
        .put("body", text.deleted() ? "" : text.body()).put("ts", text.timestamp())
        .put("status", text.status().name().toLowerCase(Locale.ROOT));
    if (text.quote() != null) {
      node.set("quote", text.quote().encode());
    }
    if (text.edited()) {
      node.put("editedAt", text.editedAt());
    }
    if (text.deleted()) {
      node.put("deleted", true);
    }
    if (text.attachment() != null) {
      text.attachment().encodeInto(node.putObject("attachment"));
    }
    List<MessageReaction> reactions = text.shownReactions();
    if (!reactions.isEmpty()) {
      ArrayNode list = node.putArray("reactions");
      reactions.forEach(r -> list.addObject().put("from", r.from()).put("emoji", r.emoji()).put("ts", r.timestamp()));
    }
    return node;
  }

  private static ObjectNode encode(String number, ProfileName name) {
    return JSON.createObjectNode().put("number", number).put("name", name.name()).put("ts", name.timestamp());
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
    return new HistoryPart(node.get("part").asInt(), node.get("parts").asInt(), messages,
        decodeProfiles(node.path("profiles")));
  }

  private static HistoryEntry decodeText(JsonNode text) throws ProtocolException {
    String id = text.path("id").textValue();
    String peer = text.path("peer").textValue();
    String from = text.path("from").textValue();
    JsonNode fromDevice = text.path("fromDevice");
    JsonNode ts = text.path("ts");
    boolean valid = ContentJson.isMessageId(id) && Envelope.isNumber(peer) && Envelope.isNumber(from)
        && ContentJson.isInteger(fromDevice, 1, 0xFFFF_FFFFL) && text.path("outgoing").isBoolean()
        && text.path("body").isTextual() && ContentJson.isTime(ts);
    if (!valid) {
      throw ContentJson.malformed("a text of the history lacks a field or has one of another type");
    }
    boolean outgoing = text.get("outgoing").booleanValue();
    MessageStatus status = status(text.path("status"), outgoing);
    Quote quote = text.has("quote") ? Quote.decode(text.get("quote")) : null;
    JsonNode editedAt = text.path("editedAt");
    if (!editedAt.isMissingNode() && !ContentJson.isInteger(editedAt, 1, Limits.MAX_U64)) {
      throw ContentJson.malformed("a text of the history was edited at no time");
    }
    JsonNode deleted = text.path("deleted");
    if (!deleted.isMissingNode() && !deleted.isBoolean()) {
      throw ContentJson.malformed("a text of the history is deleted or not");
    }
    String body = text.get("body").textValue();
    AttachmentPointer attachment = text.has("attachment") ? AttachmentPointer.decode(text.get("attachment")) : null;
    if (deleted.booleanValue()) {
      if (!body.isEmpty() || quote != null || attachment != null || text.has("reactions")) {
        throw ContentJson.malformed("a deleted text of the history keeps no text, quote, file or reaction");
      }
      body = null;
    }
    return new HistoryEntry(id, peer, outgoing, from, fromDevice.asLong(), ts.asLong(), body, quote, status,
        editedAt.asLong(0), decodeReactions(text.path("reactions")), attachment);
  }

  /** Sent, delivered or read for a text the account sent; read or unread for one it received. */
  private static MessageStatus status(JsonNode node, boolean outgoing) throws ProtocolException {
    if (node.isMissingNode()) {
      return outgoing ? MessageStatus.SENT : MessageStatus.READ;
    }
    List<String> allowed = outgoing ? List.of("sent", "delivered", "read") : List.of("unread", "read");
    if (!allowed.contains(node.textValue())) {
      throw ContentJson.malformed("the status of a text of the history is one of " + String.join(", ", allowed));
    }
    return MessageStatus.valueOf(node.textValue().toUpperCase(Locale.ROOT));
  }

  private static List<MessageReaction> decodeReactions(JsonNode node) throws ProtocolException {
    if (node.isMissingNode()) {
      return List.of();
    }
    if (!node.isArray() || node.size() > MAX_REACTIONS) {
      throw ContentJson.malformed("a text of the history has a list of at most " + MAX_REACTIONS + " reactions");
    }
    List<MessageReaction> reactions = new ArrayList<>(node.size());
    for (JsonNode reaction : node) {
      String from = reaction.path("from").textValue();
      String emoji = reaction.path("emoji").textValue();
      if (!Envelope.isNumber(from) || emoji == null || emoji.isEmpty() || !ContentJson.isReactionEmoji(emoji)
          || !ContentJson.isTime(reaction.path("ts"))) {
        throw ContentJson.malformed("a reaction of the history is a number, one emoji and a time");
      }
      reactions.add(new MessageReaction(from, emoji, reaction.get("ts").asLong()));
    }
    return reactions;
  }

  private static Map<String, ProfileName> decodeProfiles(JsonNode node) throws ProtocolException {
    if (node.isMissingNode()) {
      return Map.of();
    }
    if (!node.isArray() || node.size() > MAX_PROFILES) {
      throw ContentJson.malformed("a history part has a list of at most " + MAX_PROFILES + " names");
    }
    Map<String, ProfileName> profiles = new LinkedHashMap<>();
    for (JsonNode profile : node) {
      String number = profile.path("number").textValue();
      String name = profile.path("name").textValue();
      if (!Envelope.isNumber(number) || !ContentJson.isProfileName(name) || !ContentJson.isTime(profile.path("ts"))
          || profiles.containsKey(number)) {
        throw ContentJson.malformed("a name of the history is a number (each once), a profile name and a time");
      }
      profiles.put(number, new ProfileName(name, profile.get("ts").asLong()));
    }
    return profiles;
  }
}
