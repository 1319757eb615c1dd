package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.ProtocolException;

/**
 * protocol/vectors/contents.json, which the browser's content.js is held to as well: every valid
 * content decodes to the fields given, every invalid one is refused with its code.
 */
class ContentFixtureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode fixture() throws Exception {
    return JSON.readTree(Path.of("..", "protocol", "vectors", "contents.json").toFile());
  }

  /** A decoded content in the fixture's shape. */
  private static JsonNode shape(Content content) {
    ObjectNode node = JSON.createObjectNode().put("type", content.type());
    if (content instanceof HistoryPart part) {
      node.put("part", part.part()).put("parts", part.parts());
      var messages = node.putArray("messages");
      for (HistoryEntry e : part.messages()) {
        ObjectNode entry = messages.addObject().put("peer", e.peer()).put("from", e.from())
            .put("fromDevice", e.fromDevice()).put("outgoing", e.outgoing()).put("body", e.deleted() ? "" : e.body())
            .put("ts", e.timestamp()).put("id", e.id()).put("status", e.status().name().toLowerCase(Locale.ROOT));
        var reactions = entry.putArray("reactions");
        e.reactions().forEach(r -> reactions.addObject().put("from", r.from()).put("emoji", r.emoji())
            .put("ts", r.timestamp()));
        if (e.quote() != null) {
          entry.set("quote", e.quote().encode());
        }
        if (e.edited()) {
          entry.put("editedAt", e.editedAt());
        }
        if (e.deleted()) {
          entry.put("deleted", true);
        }
        if (e.attachment() != null) {
          e.attachment().encodeInto(entry.putObject("attachment"));
        }
      }
      var profiles = node.putArray("profiles");
      part.profiles().forEach((number, name) -> profiles.addObject().put("number", number).put("name", name.name())
          .put("ts", name.timestamp()));
      return node;
    }
    if (content instanceof UnknownContent unknown) {
      return node.put("unknown", true).put("peer", unknown.peer());
    }
    if (content instanceof Text text) {
      node.put("body", text.body());
    } else if (content instanceof Reaction reaction) {
      node.put("target", reaction.target()).put("emoji", reaction.emoji());
    } else if (content instanceof Edit edit) {
      node.put("target", edit.target()).put("body", edit.body());
    } else if (content instanceof Delete delete) {
      node.put("target", delete.target());
    } else if (content instanceof DeleteForMe deleted) {
      deleted.targets().forEach(node.putArray("targets")::add);
    } else if (content instanceof Read read) {
      read.targets().forEach(node.putArray("targets")::add);
    } else if (content instanceof Typing typing) {
      node.put("typing", typing.typing());
    } else if (content instanceof Profile profile) {
      node.put("name", profile.name());
    } else if (content instanceof Attachment attachment) {
      attachment.pointer().encodeInto(node.putObject("attachment"));
      if (attachment.caption() != null) {
        node.put("caption", attachment.caption());
      }
    } else {
      node.put("readReceipts", ((Settings) content).readReceipts());
    }
    WritableContent written = (WritableContent) content;
    node.put("ts", written.timestamp()).put("peer", written.peer());
    Quote quote = content instanceof Text text ? text.quote()
        : content instanceof Attachment attachment ? attachment.quote() : null;
    if (quote != null) {
      node.set("quote", quote.encode());
    }
    return node;
  }

  /** The fixture's texts (protocol/vectors/README.md): the i-th has the id i in hex and the time 1700000000000 + i. */
  private static List<HistoryEntry> historyTexts(JsonNode groups) {
    List<HistoryEntry> texts = new ArrayList<>();
    for (JsonNode group : groups) {
      String body = group.get("body").asText().repeat(group.get("repeat").asInt());
      for (int n = 0; n < group.get("count").asInt(); n++) {
        int i = texts.size();
        texts.add(new HistoryEntry(String.format("%032x", i), "+8801711000001", false, "+8801811000002", 1,
            1_700_000_000_000L + i, body));
      }
    }
    return texts;
  }

  @Test
  void historyIsCutIntoThePartsTheFixtureGives() throws Exception {
    JsonNode splits = fixture().get("historySplits");
    assertFalse(splits.isEmpty());
    for (JsonNode c : splits) {
      List<Integer> sizes = new ArrayList<>();
      HistoryPart.split(historyTexts(c.get("texts")), "+8801711000001", Map.of()).forEach(part -> sizes.add(part.messages().size()));
      List<Integer> expected = new ArrayList<>();
      c.get("parts").forEach(n -> expected.add(n.asInt()));
      assertEquals(expected, sizes, c.get("name").asText());
    }
  }

  @Test
  void everyValidContentDecodesToItsFields() throws Exception {
    JsonNode valid = fixture().get("valid");
    assertFalse(valid.isEmpty());
    for (JsonNode c : valid) {
      Content content = Content.decode(c.get("plaintext").asText().getBytes(StandardCharsets.UTF_8));
      // Through text, so that numbers compare by value (an int node is not a long node).
      assertEquals(c.get("content"), JSON.readTree(shape(content).toString()), c.get("name").asText());
    }
  }

  /**
   * Every valid content of a type this client writes is what it would write: keys in the fixture's
   * order, {@code peer} last. History parts, unknown types and the two texts written otherwise than
   * a client writes them (a time as 5.0, a field of a later client) are not.
   */
  @Test
  void everyValidContentOfATypeThisClientWritesEncodesBackToItsPlaintext() throws Exception {
    int checked = 0;
    for (JsonNode c : fixture().get("valid")) {
      String plaintext = c.get("plaintext").asText();
      Content content = Content.decode(plaintext.getBytes(StandardCharsets.UTF_8));
      if (!(content instanceof WritableContent written)
          || content instanceof Text && (plaintext.contains("\"ts\":5.0") || plaintext.contains("\"sticker\""))) {
        continue;
      }
      assertEquals(plaintext, new String(written.encode(), StandardCharsets.UTF_8), c.get("name").asText());
      checked++;
    }
    assertTrue(checked >= 15, checked + " contents encoded");
  }

  /** The bounds, by name and value, are the fixture's: those content.js holds as well. */
  @Test
  void theBoundsOfTheContentsAreTheFixtures() throws Exception {
    ObjectNode limits = JSON.createObjectNode();
    for (Field field : ContentLimits.class.getDeclaredFields()) {
      if (Modifier.isPublic(field.getModifiers()) && Modifier.isStatic(field.getModifiers())) {
        limits.put(field.getName(), ((Number) field.get(null)).longValue());
      }
    }
    assertEquals(fixture().get("limits"), JSON.readTree(limits.toString()));
  }

  @Test
  void everyInvalidContentIsRefusedWithItsCode() throws Exception {
    JsonNode invalid = fixture().get("invalid");
    assertFalse(invalid.isEmpty());
    for (JsonNode c : invalid) {
      byte[] bytes = c.has("hex") ? Bytes.fromHex(c.get("hex").asText())
          : c.get("plaintext").asText().getBytes(StandardCharsets.UTF_8);
      ProtocolException e = assertThrows(ProtocolException.class, () -> Content.decode(bytes), c.get("name").asText());
      assertEquals(c.get("error").asText(), e.error().name(), c.get("name").asText());
    }
  }
}
