package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

class HistoryPartTest {
  private static final String SELF = "+8801711000001";
  private static final String PEER = "+8801811000002";

  private static HistoryEntry text(int n, String body) {
    return new HistoryEntry(String.format("%032x", n), "+8801811000002", n % 2 == 0, "+8801711000001", 1,
        1_700_000_000_000L + n, body);
  }

  @Test
  void thePartIsTheDocumentedJson() throws Exception {
    HistoryPart part = new HistoryPart(1, 2, List.of(text(2, "hi \"you\"")));
    String json = new String(part.encode(), StandardCharsets.UTF_8);
    assertEquals("{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":2,\"messages\":[{\"id\":\""
        + "00000000000000000000000000000002\",\"peer\":\"+8801811000002\",\"from\":\"+8801711000001\","
        + "\"fromDevice\":1,\"outgoing\":true,\"body\":\"hi \\\"you\\\"\",\"ts\":1700000000002,\"status\":\"sent\"}]}", json);
    assertEquals(part, Content.decode(part.encode()));
    assertEquals(HistoryPart.TYPE, Content.decode(part.encode()).type());
  }

  @Test
  void textsAreCutIntoPartsOfAtMostAHundredThatFitAMessage() {
    List<HistoryEntry> texts = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      texts.add(text(i, "text " + i));
    }
    List<HistoryPart> parts = HistoryPart.split(texts, SELF, Map.of());
    assertEquals(List.of(100, 100, 50), parts.stream().map(p -> p.messages().size()).toList());
    assertEquals(List.of(1, 2, 3), parts.stream().map(HistoryPart::part).toList());
    assertTrue(parts.stream().allMatch(p -> p.parts() == 3));

    String long1 = "x".repeat(100_000);
    List<HistoryPart> large = HistoryPart.split(List.of(text(1, long1), text(2, long1), text(3, long1),
        text(4, "y".repeat(Limits.MAX_PLAINTEXT))), SELF, Map.of());
    assertEquals(List.of(2, 1), large.stream().map(p -> p.messages().size()).toList(),
        "two long texts fit a part, the third goes in the next, the one too long for any part is left out");
    assertTrue(large.stream().allMatch(p -> p.encode().length <= Limits.MAX_PLAINTEXT));

    List<HistoryPart> none = HistoryPart.split(List.of(), SELF, Map.of());
    assertEquals(1, none.size(), "an empty history is one empty part, so the companion knows it is complete");
    assertEquals(0, none.get(0).messages().size());
  }

  /** A companion shows what the primary shows: status, quote, latest edit, deletion, reactions, names. */
  @Test
  void aTextTravelsAsThePrimaryShowsIt() throws Exception {
    Quote quote = new Quote(String.format("%032x", 1), PEER, "the question");
    HistoryEntry read = new HistoryEntry(String.format("%032x", 2), PEER, true, SELF, 1, 10, "fixed answer", quote,
        MessageStatus.READ, 20, List.of(new MessageReaction(PEER, "👍", 30), new MessageReaction(SELF, "", 31)));
    HistoryEntry unread = new HistoryEntry(String.format("%032x", 3), PEER, false, PEER, 2, 40, "new", null,
        MessageStatus.UNREAD, 0, List.of());
    HistoryEntry deleted = text(4, "gone").withDeletion();
    Map<String, ProfileName> names = Map.of(PEER, new ProfileName("Rahim", 5), SELF, new ProfileName("Karim", 6),
        "+8801911000003", new ProfileName("Nobody here", 7));
    List<HistoryPart> parts = HistoryPart.split(List.of(read, unread, deleted), SELF, names);
    assertEquals(1, parts.size());
    HistoryPart part = (HistoryPart) Content.decode(parts.get(0).encode());
    assertEquals(Map.of(PEER, names.get(PEER), SELF, names.get(SELF)), part.profiles(),
        "the names of the account and of the people its texts name, no one else's");
    HistoryEntry first = part.messages().get(0);
    assertEquals(quote, first.quote());
    assertEquals("fixed answer", first.body());
    assertEquals(20, first.editedAt());
    assertEquals(MessageStatus.READ, first.status());
    assertEquals(List.of(new MessageReaction(PEER, "👍", 30)), first.reactions(), "a reaction taken back is not sent");
    assertEquals(MessageStatus.UNREAD, part.messages().get(1).status());
    assertTrue(part.messages().get(2).deleted());
    assertEquals(List.of(), part.messages().get(2).reactions());
  }

  @Test
  void everyPartCarriesTheNamesItsTextsNeed() {
    List<HistoryEntry> texts = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      texts.add(text(i, "text " + i));
    }
    Map<String, ProfileName> names = Map.of(PEER, new ProfileName("Rahim", 5));
    List<HistoryPart> parts = HistoryPart.split(texts, SELF, names);
    assertEquals(2, parts.size());
    assertTrue(parts.stream().allMatch(p -> p.profiles().equals(names)));
  }

  @Test
  void aMalformedPartIsRefused() {
    String good = "{\"id\":\"00000000000000000000000000000002\",\"peer\":\"+8801811000002\",\"from\":\"+8801711000001\","
        + "\"fromDevice\":1,\"outgoing\":true,\"body\":\"hi\",\"ts\":5}";
    String[] refused = {
        "{\"v\":1,\"type\":\"history\",\"part\":2,\"parts\":1,\"messages\":[]}",
        "{\"v\":1,\"type\":\"history\",\"part\":0,\"parts\":1,\"messages\":[]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1}",
        "{\"v\":1,\"type\":\"text\",\"part\":1,\"parts\":1,\"messages\":[]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("\"id\":\"0", "\"id\":\"X") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("+8801811000002", "bob") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("true", "1") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("\"fromDevice\":1", "\"fromDevice\":0") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("\"ts\":5", "\"ts\":\"5\"") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("}", ",\"status\":\"unread\"}") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("}", ",\"deleted\":true}") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("}", ",\"editedAt\":0}") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[" + good.replace("}", ",\"reactions\":[{\"from\":\"+8801811000002\",\"emoji\":\"\",\"ts\":1}]}") + "]}",
        "{\"v\":1,\"type\":\"history\",\"part\":1,\"parts\":1,\"messages\":[],\"profiles\":[{\"number\":\"+8801811000002\",\"name\":\"\",\"ts\":1}]}",
    };
    for (String json : refused) {
      ProtocolException e = assertThrows(ProtocolException.class,
          () -> Content.decode(json.getBytes(StandardCharsets.UTF_8)), json);
      assertEquals(ProtocolError.MALFORMED, e.error(), json);
    }
  }
}
