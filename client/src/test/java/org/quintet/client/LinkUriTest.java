package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;

class LinkUriTest {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private final IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
  private final byte[] key = KeySource.secure().newX25519().publicKey();
  private final String address = B64URL.encodeToString(new byte[16]);

  private String uri(String v, String a, String k, String i, String n) {
    return "quintet://link?v=" + v + "&a=" + a + "&k=" + k + "&i=" + i + "&n=" + n;
  }

  private String valid() {
    return uri("1", address, B64URL.encodeToString(key), B64URL.encodeToString(identity.publicKey().encode()),
        B64URL.encodeToString("Bürokratie-Laptop ✓".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aLinkRoundTripsExactlyAsTheBrowserWritesIt() {
    LinkUri link = LinkUri.parse(valid());
    assertEquals(address, link.address());
    assertArrayEquals(key, link.provisioningKey());
    assertEquals(identity.publicKey(), link.identity());
    assertEquals("Bürokratie-Laptop ✓", link.name());
    assertEquals(valid(), link.toString());
  }

  @Test
  void anythingElseIsRefusedWithTheReason() {
    String k = B64URL.encodeToString(key);
    String i = B64URL.encodeToString(identity.publicKey().encode());
    String n = B64URL.encodeToString("laptop".getBytes(StandardCharsets.UTF_8));
    String[] refused = {
        null,
        "https://example.com/?v=1",
        "quintet://link?v=2&a=" + address + "&k=" + k + "&i=" + i + "&n=" + n,
        uri("1", address, k, i, n) + "&x=1",
        uri("1", address, k, i, n) + "&n=" + n,
        "quintet://link?v=1&a=" + address + "&k=" + k + "&i=" + i,
        uri("1", address + "AA", k, i, n),
        uri("1", address, k + "=", i, n),
        uri("1", address, "+" + k.substring(1), i, n),
        uri("1", address, B64URL.encodeToString(new byte[31]), i, n),
        uri("1", address, B64URL.encodeToString(topBitSet()), i, n),
        uri("1", address, k, B64URL.encodeToString(new byte[63]), n),
        uri("1", address, k, i, ""),
        uri("1", address, k, i, B64URL.encodeToString(new byte[] {(byte) 0xC3})),
        uri("1", address, k, i, B64URL.encodeToString("a\nb".getBytes(StandardCharsets.UTF_8))),
        uri("1", address, k, i, B64URL.encodeToString("x".repeat(65).getBytes(StandardCharsets.UTF_8))),
        // Non-canonical: the last symbol's unused bits set.
        uri("1", address.substring(0, 21) + "B", k, i, n),
    };
    for (String uri : refused) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkUri.parse(uri), uri);
      assertTrue(e.getMessage().startsWith("not a Quintet link: "), e.getMessage());
    }
  }

  private byte[] topBitSet() {
    byte[] bad = key.clone();
    bad[31] |= (byte) 0x80;
    return bad;
  }

  /** protocol/vectors/link-uris.json, which the browser's link-uri.js is held to as well. */
  @Test
  void readsAndRefusesTheLinksOfTheFixture() throws Exception {
    JsonNode fixture = new ObjectMapper().readTree(Path.of("..", "protocol", "vectors", "link-uris.json").toFile());
    assertTrue(fixture.get("valid").size() > 0 && fixture.get("invalid").size() > 0);
    for (JsonNode c : fixture.get("valid")) {
      String name = c.get("name").asText();
      LinkUri link = LinkUri.parse(c.get("uri").asText());
      assertEquals(c.get("address").asText(), link.address(), name);
      assertArrayEquals(Bytes.fromHex(c.get("provisioningKey").asText()), link.provisioningKey(), name);
      assertArrayEquals(Bytes.fromHex(c.get("identityKey").asText()), link.identity().encode(), name);
      assertEquals(c.get("deviceName").asText(), link.name(), name);
      assertEquals(c.get("uri").asText(), link.toString(), name);
    }
    for (JsonNode c : fixture.get("invalid")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> LinkUri.parse(c.get("uri").asText()), c.get("name").asText());
      assertTrue(refused.getMessage().startsWith("not a Quintet link: "), c.get("name").asText());
    }
  }
}
