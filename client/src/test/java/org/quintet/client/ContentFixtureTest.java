package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    if (content instanceof Text text) {
      node.put("body", text.body()).put("ts", text.timestamp()).put("peer", text.peer());
    } else if (content instanceof HistoryPart part) {
      node.put("part", part.part()).put("parts", part.parts());
      var messages = node.putArray("messages");
      for (HistoryEntry e : part.messages()) {
        messages.addObject().put("peer", e.peer()).put("from", e.from()).put("fromDevice", e.fromDevice())
            .put("outgoing", e.outgoing()).put("body", e.body()).put("ts", e.timestamp()).put("id", e.id());
      }
    } else {
      node.put("unknown", true).put("peer", ((UnknownContent) content).peer());
    }
    return node;
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
