package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

class HistoryPartTest {
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
        + "\"fromDevice\":1,\"outgoing\":true,\"body\":\"hi \\\"you\\\"\",\"ts\":1700000000002}]}", json);
    assertEquals(part, Content.decode(part.encode()));
    assertEquals(HistoryPart.TYPE, Content.decode(part.encode()).type());
  }

  @Test
  void textsAreCutIntoPartsOfAtMostAHundredThatFitAMessage() {
    List<HistoryEntry> texts = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      texts.add(text(i, "text " + i));
    }
    List<HistoryPart> parts = HistoryPart.split(texts);
    assertEquals(List.of(100, 100, 50), parts.stream().map(p -> p.messages().size()).toList());
    assertEquals(List.of(1, 2, 3), parts.stream().map(HistoryPart::part).toList());
    assertTrue(parts.stream().allMatch(p -> p.parts() == 3));

    String long1 = "x".repeat(100_000);
    List<HistoryPart> large = HistoryPart.split(List.of(text(1, long1), text(2, long1), text(3, long1),
        text(4, "y".repeat(Limits.MAX_PLAINTEXT))));
    assertEquals(List.of(2, 1), large.stream().map(p -> p.messages().size()).toList(),
        "two long texts fit a part, the third goes in the next, the one too long for any part is left out");
    assertTrue(large.stream().allMatch(p -> p.encode().length <= Limits.MAX_PLAINTEXT));

    List<HistoryPart> none = HistoryPart.split(List.of());
    assertEquals(1, none.size(), "an empty history is one empty part, so the companion knows it is complete");
    assertEquals(0, none.get(0).messages().size());
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
    };
    for (String json : refused) {
      ProtocolException e = assertThrows(ProtocolException.class,
          () -> Content.decode(json.getBytes(StandardCharsets.UTF_8)), json);
      assertEquals(ProtocolError.MALFORMED, e.error(), json);
    }
  }
}
