package org.quintet.protocol.vectors;

import static org.quintet.protocol.vectors.Json.obj;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.CodePairing;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.LinkCode;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.ProvisioningCipher;
import org.quintet.protocol.TestKeySource;
import org.quintet.protocol.X25519KeyPair;

/** provisioning.json and codelink.json: the two linking ciphers. */
final class LinkingVectors {
  private LinkingVectors() {}

  static Map<String, Object> provisioning() throws ProtocolException {
    byte[] companionSeed = Seeds.seed("provisioning companion");
    byte[] primarySeed = Seeds.seed("provisioning primary");
    X25519KeyPair q = Seeds.source(companionSeed).newX25519();
    byte[] payload = "provisioning payload: account key, device id, certificate".getBytes(StandardCharsets.UTF_8);
    byte[] message = ProvisioningCipher.seal(Seeds.source(primarySeed), q.publicKey(), payload);
    if (!java.util.Arrays.equals(ProvisioningCipher.open(q, message), payload)) {
      throw new IllegalStateException("provisioning round trip");
    }
    List<Object> rejections = new ArrayList<>();
    provisioningRejection(rejections, q, "flipped ephemeral key", Seeds.flip(message, 5, 0x01));
    provisioningRejection(rejections, q, "flipped ciphertext", Seeds.flip(message, 40, 0x01));
    provisioningRejection(rejections, q, "flipped tag", Seeds.flip(message, message.length - 1, 0x80));
    provisioningRejection(rejections, q, "truncated", Seeds.truncate(message, 49));
    provisioningRejection(rejections, q, "unsupported version", Seeds.withByte(message, 0, 2));
    provisioningRejection(rejections, q, "wrong type", Seeds.withByte(message, 1, 0x11));
    byte[] zeroKey = message.clone();
    java.util.Arrays.fill(zeroKey, 2, 34, (byte) 0);
    provisioningRejection(rejections, q, "low-order ephemeral key", zeroKey);
    provisioningRejection(rejections, q, "ephemeral key with its top bit set", Seeds.flip(message, 33, 0x80));
    X25519KeyPair other = Seeds.source(Seeds.seed("provisioning other companion")).newX25519();
    byte[] toOther = ProvisioningCipher.seal(Seeds.source(primarySeed), other.publicKey(), payload);
    provisioningRejection(rejections, q, "sealed to another companion", toOther);
    return obj("description", "QR provisioning cipher; see README.md",
        "companion", obj("seed", companionSeed), "primary", obj("seed", primarySeed),
        "provisioningKey", q.publicKey(), "payload", payload, "message", message, "rejections", rejections);
  }

  private static void provisioningRejection(List<Object> out, X25519KeyPair q, String name, byte[] message) {
    try {
      ProvisioningCipher.open(q, message);
      throw new IllegalStateException("rejection case '" + name + "' opened");
    } catch (ProtocolException e) {
      out.add(obj("name", name, "message", message, "error", e.error().name()));
    }
  }

  static Map<String, Object> codeLink() throws ProtocolException {
    byte[] companionSeed = Seeds.seed("codelink companion");
    byte[] primarySeed = Seeds.seed("codelink primary");
    TestKeySource companionSource = Seeds.source(companionSeed);
    IdentityKeyPair companionIdentity = IdentityKeyPair.generate(companionSource);
    CodePairing.Companion companion = CodePairing.Companion.start(companionSource, companionIdentity.publicKey());
    byte[] hello = companion.hello();
    byte[] replyPayload = "reply: account key, device id 2, certificate".getBytes(StandardCharsets.UTF_8);
    byte[] confirmPayload = "confirm: device counter-signature".getBytes(StandardCharsets.UTF_8);

    String wrongTyped = companion.code().equals("2222-2222") ? "3333-3333" : "2222-2222";
    byte[] wrongReply = CodePairing.Primary.respond(Seeds.source(primarySeed), wrongTyped, hello, replyPayload).reply();
    List<Object> rejections = new ArrayList<>();
    String wrongCodeError = companionRejects(companion, wrongReply);
    for (int[] flip : new int[][] {{2, 0x01}, {40, 0x01}, {65, 0x80}, {100, 0x01}}) {
      byte[] tampered = Seeds.flip(hello, flip[0], flip[1]);
      byte[] reply = CodePairing.Primary.respond(Seeds.source(primarySeed), companion.code(), tampered, replyPayload)
          .reply();
      rejections.add(obj("name", "hello byte " + flip[0] + " flipped", "stage", "hello", "hello", tampered,
          "reply", reply, "error", companionRejects(companion, reply)));
    }
    for (Object[] bad : new Object[][] {
        {"hello truncated", Seeds.truncate(hello, 129)},
        {"hello with a trailing byte", Bytes.concat(hello, new byte[1])},
        {"hello of an unsupported version", Seeds.withByte(hello, 0, 2)},
        {"hello of the wrong type", Seeds.withByte(hello, 1, 0x21)}}) {
      rejections.add(obj("name", bad[0], "stage", "respond", "hello", bad[1],
          "error", primaryRefuses(primarySeed, companion.code(), (byte[]) bad[1], replyPayload)));
    }

    CodePairing.Primary primary =
        CodePairing.Primary.respond(Seeds.source(primarySeed), companion.code(), hello, replyPayload);
    byte[] reply = primary.reply();
    for (Object[] bad : new Object[][] {
        {"reply with a flipped wrapped key", Seeds.flip(reply, 3, 0x01)},
        {"reply with the top bit of the wrapped key flipped", Seeds.flip(reply, 33, 0x80)},
        {"reply with a flipped ciphertext", Seeds.flip(reply, 40, 0x01)},
        {"reply with a flipped tag", Seeds.flip(reply, reply.length - 1, 0x80)},
        {"reply truncated", Seeds.truncate(reply, 49)},
        {"reply of an unsupported version", Seeds.withByte(reply, 0, 2)},
        {"reply of the wrong type", Seeds.withByte(reply, 1, 0x22)}}) {
      rejections.add(obj("name", bad[0], "stage", "reply", "message", bad[1],
          "error", companionRejects(companion, (byte[]) bad[1])));
    }
    if (!java.util.Arrays.equals(companion.openReply(reply), replyPayload)) {
      throw new IllegalStateException("reply round trip");
    }
    byte[] confirm = companion.confirm(confirmPayload);
    for (Object[] bad : new Object[][] {
        {"confirmation with a flipped ciphertext", Seeds.flip(confirm, 3, 0x01)},
        {"confirmation with a flipped tag", Seeds.flip(confirm, confirm.length - 1, 0x80)},
        {"confirmation truncated", Seeds.truncate(confirm, 17)},
        {"confirmation of the wrong type", Seeds.withByte(confirm, 1, 0x21)},
        {"reply sent back as a confirmation", Seeds.withByte(reply, 1, 0x22)}}) {
      rejections.add(obj("name", bad[0], "stage", "confirm", "message", bad[1],
          "error", primaryRejects(primary, (byte[]) bad[1])));
    }
    if (!java.util.Arrays.equals(primary.openConfirm(confirm), confirmPayload)) {
      throw new IllegalStateException("confirm round trip");
    }
    List<Object> normalise = new ArrayList<>();
    for (String input : new String[] {companion.code(), companion.code().toLowerCase(java.util.Locale.ROOT),
        " " + companion.code().replace("-", " ") + " ", "abcd-efgh", "ABCD-EFG", "ABCD-EFGHJ", "ABCD-EFG0",
        "ABCD-EFGO", "ABCD-EFGI", "ABCD-EFGU", "ABCD_EFGH", "ÄBCD-EFGH", "", "--------"}) {
      try {
        normalise.add(obj("input", input, "code", LinkCode.normalise(input)));
      } catch (ProtocolException e) {
        normalise.add(obj("input", input, "error", e.error().name()));
      }
    }
    return obj("description", "phone number + code pairing; see README.md",
        "companion", obj("seed", companionSeed), "primary", obj("seed", primarySeed),
        "code", companion.code(), "hello", hello, "replyPayload", replyPayload, "reply", reply,
        "confirmPayload", confirmPayload, "confirm", confirm,
        "wrongCode", obj("typed", wrongTyped, "reply", wrongReply, "error", wrongCodeError),
        "rejections", rejections, "normalise", normalise);
  }

  private static String companionRejects(CodePairing.Companion companion, byte[] reply) {
    try {
      companion.openReply(reply);
      throw new IllegalStateException("a bad reply opened");
    } catch (ProtocolException e) {
      return e.error().name();
    }
  }

  private static String primaryRefuses(byte[] seed, String code, byte[] hello, byte[] payload) {
    try {
      CodePairing.Primary.respond(Seeds.source(seed), code, hello, payload);
      throw new IllegalStateException("a bad hello was answered");
    } catch (ProtocolException e) {
      return e.error().name();
    }
  }

  private static String primaryRejects(CodePairing.Primary primary, byte[] confirm) {
    try {
      primary.openConfirm(confirm);
      throw new IllegalStateException("a bad confirmation opened");
    } catch (ProtocolException e) {
      return e.error().name();
    }
  }
}
