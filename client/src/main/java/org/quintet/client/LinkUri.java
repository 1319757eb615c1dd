package org.quintet.client;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.ProtocolException;

/**
 * What a companion's QR code holds (docs/linking.md, "QR"):
 * {@code quintet://link?v=1&a=ADDRESS&k=BASE64URL(Q.pub)&i=BASE64URL(IdentityKey)&n=BASE64URL(name)},
 * base64url without padding, the name in UTF-8. Parsing is strict: the primary signs a
 * certificate for what it reads here, so anything but exactly these five fields is refused.
 */
public record LinkUri(String address, byte[] provisioningKey, IdentityKey identity, String name) {
  public static final String PREFIX = "quintet://link?";
  /** The relay's limit on a device name. */
  public static final int MAX_NAME_LENGTH = 64;
  private static final int ADDRESS_LENGTH = 16;
  private static final int KEY_LENGTH = 32;
  private static final Set<String> FIELDS = Set.of("v", "a", "k", "i", "n");

  public LinkUri {
    provisioningKey = provisioningKey.clone();
  }

  @Override
  public byte[] provisioningKey() {
    return provisioningKey.clone();
  }

  /** The URI, fields in the order the documentation gives them. */
  @Override
  public String toString() {
    Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
    return PREFIX + "v=1&a=" + address + "&k=" + base64url.encodeToString(provisioningKey)
        + "&i=" + base64url.encodeToString(identity.encode())
        + "&n=" + base64url.encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a URI a companion showed; {@link IllegalArgumentException} says what is wrong with it. */
  public static LinkUri parse(String uri) {
    if (uri == null || !uri.startsWith(PREFIX)) {
      throw invalid("it does not start with " + PREFIX);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : uri.substring(PREFIX.length()).split("&", -1)) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (equals < 0 || !FIELDS.contains(key)) {
        throw invalid("it has a field \"" + key + "\"; a link has v, a, k, i and n");
      }
      if (fields.put(key, pair.substring(equals + 1)) != null) {
        throw invalid("it has \"" + key + "\" twice");
      }
    }
    if (!fields.keySet().equals(FIELDS)) {
      // A shell ends an unquoted word at '&' and runs the rest in the background.
      String hint = uri.indexOf('&') < 0 ? "; the shell cut it at the first '&': put the link in single quotes" : "";
      throw invalid("it lacks a field; a link has v, a, k, i and n" + hint);
    }
    if (!"1".equals(fields.get("v"))) {
      throw invalid("it is of version " + fields.get("v") + "; this client reads version 1");
    }
    String address = fields.get("a");
    decode(address, "a (the address)", ADDRESS_LENGTH);
    byte[] provisioningKey = decode(fields.get("k"), "k (the provisioning key)", KEY_LENGTH);
    if ((provisioningKey[KEY_LENGTH - 1] & 0x80) != 0) {
      throw invalid("k is not an X25519 public key");
    }
    IdentityKey identity;
    try {
      identity = IdentityKey.parse(decode(fields.get("i"), "i (the identity)", IdentityKey.LENGTH));
    } catch (ProtocolException e) {
      throw invalid("i is not an identity key");
    }
    String name = utf8(decode(fields.get("n"), "n (the name)", -1));
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
      throw invalid("n is not a device name (1 to " + MAX_NAME_LENGTH + " printable characters)");
    }
    return new LinkUri(address, provisioningKey, identity, name);
  }

  /** Base64url without padding, {@code length} bytes (-1: any). */
  private static byte[] decode(String value, String field, int length) {
    if (!value.matches("[A-Za-z0-9_-]*")) {
      throw invalid(field + " is not base64url without padding");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw invalid(field + " is not base64url");
    }
    // Decoding is lenient about the unused bits of the last symbol; encoding again is not.
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(value)) {
      throw invalid(field + " is not in canonical base64url");
    }
    if (length >= 0 && bytes.length != length) {
      throw invalid(field + " is " + bytes.length + " bytes, not " + length);
    }
    return bytes;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw invalid("n is not UTF-8");
    }
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("not a Quintet link: " + why);
  }
}
