package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
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
    Content typing = Content.decode("{\"v\":1,\"type\":\"typing\",\"ts\":5,\"extra\":true}".getBytes(StandardCharsets.UTF_8));
    assertEquals("typing", typing.type());
    assertEquals(new UnknownContent("typing", null), typing, "a type of a later client, with no body");
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
