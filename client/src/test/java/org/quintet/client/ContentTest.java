package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

class ContentTest {
  private static ProtocolError refusal(String json) {
    return assertThrows(ProtocolException.class,
        () -> Content.decode(json.getBytes(StandardCharsets.UTF_8))).error();
  }

  @Test
  void textRoundTripsWithAndWithoutPeer() throws Exception {
    Text text = new Text("héllo \"world\" ✓", 1_700_000_000_123L, null);
    String json = new String(text.encode(), StandardCharsets.UTF_8);
    assertEquals("{\"v\":1,\"type\":\"text\",\"body\":\"héllo \\\"world\\\" ✓\",\"ts\":1700000000123}", json);
    assertEquals(text, Content.decode(text.encode()));
    assertFalse(json.contains("peer"), "copies for the recipient do not say who else is in the chat");

    Text own = text.withPeer("+8801811000002");
    assertEquals(own, Content.decode(own.encode()));
    assertEquals("+8801811000002", ((Text) Content.decode(own.encode())).peer());
  }

  @Test
  void otherTypesDecodeWithoutABody() throws Exception {
    Content poll = Content.decode("{\"v\":1,\"type\":\"poll\",\"ts\":5,\"extra\":true}".getBytes(StandardCharsets.UTF_8));
    assertEquals("poll", poll.type());
    assertEquals(new UnknownContent("poll", null), poll, "a type of a later client, with no body");
  }

  private static String reaction(String emoji) {
    return "{\"v\":1,\"type\":\"reaction\",\"target\":\"" + "ab".repeat(16) + "\",\"emoji\":\"" + emoji
        + "\",\"ts\":1}";
  }

  /** What JavaScript's \s matches (White_Space and U+FEFF) and the C0 and C1 controls are never in an emoji. */
  @Test
  void anEmojiHoldsNoWhiteSpaceOrControlCharacter() throws Exception {
    for (String bad : List.of("\\u0020", "\\u00a0", "\\u1680", "\\u2003", "\\u2028", "\\u202f", "\\u3000",
        "\\ufeff", "\\t", "\\u000b", "\\u0085", "\\u0001", "\\u007f", "\\u009f")) {
      assertEquals(ProtocolError.MALFORMED, refusal(reaction("\uD83D\uDC4D" + bad)), bad);
    }
    // A zero-width joiner and a variation selector are what emoji are made of, not white space.
    Reaction heart = (Reaction) Content.decode(reaction("\u2764\ufe0f\u200d\ud83d\udd25").getBytes(StandardCharsets.UTF_8));
    assertEquals("\u2764\ufe0f\u200d\ud83d\udd25", heart.emoji());
    assertEquals(32, ((Reaction) Content.decode(reaction("x".repeat(32)).getBytes(StandardCharsets.UTF_8))).emoji().length());
    assertEquals(ProtocolError.MALFORMED, refusal(reaction("x".repeat(33))));
  }

  @Test
  void aContentItsReceiversWouldRefuseIsNeverEncoded() {
    String target = "ab".repeat(16);
    assertThrows(IllegalArgumentException.class, () -> new Reaction(target, "a b", 1, null).encode());
    assertThrows(IllegalArgumentException.class, () -> new Reaction("AB".repeat(16), "x", 1, null).encode());
    assertThrows(IllegalArgumentException.class, () -> new Profile("", 1, null).encode());
    assertThrows(IllegalArgumentException.class, () -> new Read(List.of(), 1, null).encode());
    assertThrows(IllegalArgumentException.class, () -> new Text("x", 1, "bob").encode());
  }

  @Test
  void aQuoteKeepsTheStartOfItsTextAndNeverHalfACharacter() throws Exception {
    String id = "ab".repeat(16);
    assertEquals("short", Quote.of(id, "+8801811000002", "short").body());
    assertEquals("q".repeat(200), Quote.of(id, "+8801811000002", "q".repeat(300)).body());
    // The 200th unit is the first half of an emoji: the quote stops before it.
    String text = "q".repeat(199) + "\uD83D\uDC4D" + "tail";
    assertEquals("q".repeat(199), Quote.of(id, "+8801811000002", text).body());
    Text reply = new Text("yes", 9, null, Quote.of(id, "+8801811000002", text));
    assertEquals(reply, Content.decode(reply.encode()));
  }

  @Test
  void badContentIsRefused() {
    assertEquals(ProtocolError.MALFORMED, refusal("not json"));
    assertEquals(ProtocolError.MALFORMED, refusal("[1,2]"));
    assertEquals(ProtocolError.UNSUPPORTED_VERSION, refusal("{\"v\":2,\"type\":\"text\",\"body\":\"x\",\"ts\":1}"));
    assertEquals(ProtocolError.UNSUPPORTED_VERSION, refusal("{\"type\":\"text\",\"body\":\"x\",\"ts\":1}"));
    assertEquals(ProtocolError.MALFORMED, refusal("{\"v\":1,\"type\":\"text\",\"ts\":1}"));
    assertEquals(ProtocolError.MALFORMED, refusal("{\"v\":1,\"type\":\"text\",\"body\":5,\"ts\":1}"));
    assertEquals(ProtocolError.MALFORMED, refusal("{\"v\":1,\"type\":\"text\",\"body\":\"x\",\"ts\":\"soon\"}"));
    assertEquals(ProtocolError.MALFORMED, refusal("{\"v\":1,\"type\":\"text\",\"body\":\"x\",\"ts\":1.5}"));
    assertEquals(ProtocolError.MALFORMED, refusal("{\"v\":1,\"type\":\"text\",\"body\":\"x\",\"ts\":1,\"peer\":\"bob\"}"));
    assertEquals(ProtocolError.MALFORMED, refusal("{\"v\":1,\"body\":\"x\",\"ts\":1}"));
  }
}
