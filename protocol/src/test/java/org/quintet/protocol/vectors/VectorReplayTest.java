package org.quintet.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.CodePairing;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.LinkCode;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.ProvisioningCipher;
import org.quintet.protocol.SafetyNumber;
import org.quintet.protocol.SignedPreKey;
import org.quintet.protocol.TestKeySource;
import org.quintet.protocol.X25519KeyPair;

/**
 * Replays the stored vectors the way the JavaScript suite does: from the seeds and inputs alone,
 * every output must come out byte for byte, every output must decrypt or verify, and every
 * rejection must fail with its code.
 */
class VectorReplayTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode vector(String name) throws IOException {
    return MAPPER.readTree(VectorFilesTest.vectorsDir().resolve(name + ".json").toFile());
  }

  static byte[] hex(JsonNode node) {
    return Bytes.fromHex(node.asText());
  }

  static void assertRefused(String code, ThrowingRunnable action, String name) {
    ProtocolException e = assertThrows(ProtocolException.class, action::run, name);
    assertEquals(code, e.error().name(), name);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void identities() throws Exception {
    JsonNode file = vector("identity");
    for (JsonNode c : file.get("cases")) {
      TestKeySource source = new TestKeySource(hex(c.get("seed")));
      IdentityKeyPair identity = IdentityKeyPair.generate(source);
      assertArrayEquals(hex(c.get("identity")), identity.publicKey().encode());
      SignedPreKey spk = SignedPreKey.generate(source, identity, c.get("signedPreKey").get("id").asLong()).record();
      assertArrayEquals(hex(c.get("signedPreKey").get("record")), spk.encode());
      spk.verify(identity.publicKey());
      OneTimePreKey first = null;
      for (JsonNode otk : c.get("oneTimePreKeys")) {
        OneTimePreKey record = OneTimePreKey.generate(source, otk.get("id").asLong()).record();
        assertArrayEquals(hex(otk.get("record")), record.encode());
        first = first == null ? record : first;
      }
      assertArrayEquals(hex(c.get("bundle")),
          new PreKeyBundle(identity.publicKey(), spk, java.util.Optional.of(first)).encode());
      assertArrayEquals(hex(c.get("bundle")), PreKeyBundle.parse(hex(c.get("bundle"))).encode());
      assertArrayEquals(hex(c.get("bundleWithoutOneTime")),
          PreKeyBundle.parse(hex(c.get("bundleWithoutOneTime"))).encode());
    }
    for (JsonNode r : file.get("rejections")) {
      IdentityKey identity = IdentityKey.parse(hex(r.get("identity")));
      assertRefused(r.get("error").asText(),
          () -> SignedPreKey.parse(hex(r.get("signedPreKey"))).verify(identity), r.get("name").asText());
    }
  }

  @Test
  void sessions() throws Exception {
    for (JsonNode c : vector("session").get("cases")) {
      Map<String, Party> parties = new HashMap<>();
      Party alice = new Party(hex(c.get("alice").get("seed")));
      Party bob = new Party(hex(c.get("bob").get("seed")));
      parties.put("alice", alice);
      parties.put("bob", bob);
      bob.makePreKeys(c.get("signedPreKeyId").asLong(), c.get("oneTimePreKeyId").asLong());
      alice.initiate(bob);
      Map<Integer, JsonNode> sends = new HashMap<>();
      play(c.get("script"), parties, sends);
      for (JsonNode r : c.get("rejections")) {
        Party to = parties.get(r.get("to").asText());
        byte[] message = hex(r.get("message"));
        assertRefused(r.get("error").asText(),
            () -> {
              if (r.get("via").asText().equals("accept")) {
                to.accept(message);
              } else {
                to.session.decrypt(message);
              }
            },
            c.get("name").asText() + ": " + r.get("name").asText());
      }
      play(c.get("after"), parties, sends);
    }
  }

  private static void play(JsonNode script, Map<String, Party> parties, Map<Integer, JsonNode> sends)
      throws ProtocolException {
    for (JsonNode op : script) {
      int id = op.get("id").asInt();
      if (op.get("op").asText().equals("send")) {
        sends.put(id, op);
        byte[] message = parties.get(op.get("from").asText()).encrypt(hex(op.get("plaintext")));
        assertArrayEquals(hex(op.get("message")), message, "message " + id);
      } else {
        JsonNode sent = sends.get(id);
        byte[] plaintext = parties.get(op.get("to").asText()).decrypt(hex(sent.get("message")));
        assertArrayEquals(hex(sent.get("plaintext")), plaintext, "message " + id);
      }
    }
  }

  @Test
  void deviceLists() throws Exception {
    JsonNode file = vector("devicelist");
    IdentityKeyPair account = IdentityKeyPair.generate(new TestKeySource(hex(file.get("account").get("seed"))));
    for (JsonNode d : file.get("devices")) {
      IdentityKeyPair device = IdentityKeyPair.generate(new TestKeySource(hex(d.get("seed"))));
      DeviceCert cert = DeviceCert.issue(account, d.get("deviceId").asLong(), device.publicKey(),
          d.get("issuedAt").asLong()).counterSign(device);
      assertArrayEquals(hex(d.get("cert")), cert.encode());
    }
    Map<Long, DeviceCert> certs = new HashMap<>();
    for (JsonNode d : file.get("devices")) {
      certs.put(d.get("deviceId").asLong(), DeviceCert.parse(hex(d.get("cert"))));
    }
    for (JsonNode l : file.get("lists")) {
      java.util.List<DeviceCert> chosen = new java.util.ArrayList<>();
      l.get("deviceIds").forEach(id -> chosen.add(certs.get(id.asLong())));
      assertArrayEquals(hex(l.get("list")),
          DeviceList.sign(account, l.get("listVersion").asLong(), l.get("timestamp").asLong(), chosen));
    }
    for (JsonNode v : file.get("verify")) {
      byte[] expected = v.get("expectedAccountKey").isNull() ? null : hex(v.get("expectedAccountKey"));
      byte[] last = v.get("lastAccepted").isNull() ? null : hex(v.get("lastAccepted"));
      String name = v.get("name").asText();
      if (v.has("error")) {
        assertRefused(v.get("error").asText(), () -> DeviceList.verify(hex(v.get("list")), expected, last), name);
        continue;
      }
      DeviceList list = DeviceList.verify(hex(v.get("list")), expected, last);
      JsonNode result = v.get("result");
      assertArrayEquals(hex(result.get("accountKey")), list.accountKey(), name);
      assertEquals(result.get("listVersion").asLong(), list.listVersion(), name);
      assertEquals(result.get("timestamp").asLong(), list.timestamp(), name);
      assertEquals(result.get("devices").size(), list.devices().size(), name);
      for (int i = 0; i < list.devices().size(); i++) {
        JsonNode device = result.get("devices").get(i);
        assertEquals(device.get("id").asLong(), list.devices().get(i).id(), name);
        assertArrayEquals(hex(device.get("identity")), list.devices().get(i).identity().encode(), name);
        assertEquals(device.get("issuedAt").asLong(), list.devices().get(i).issuedAt(), name);
      }
    }
  }

  @Test
  void provisioning() throws Exception {
    JsonNode file = vector("provisioning");
    X25519KeyPair q = new TestKeySource(hex(file.get("companion").get("seed"))).newX25519();
    assertArrayEquals(hex(file.get("provisioningKey")), q.publicKey());
    byte[] message = ProvisioningCipher.seal(new TestKeySource(hex(file.get("primary").get("seed"))),
        q.publicKey(), hex(file.get("payload")));
    assertArrayEquals(hex(file.get("message")), message);
    assertArrayEquals(hex(file.get("payload")), ProvisioningCipher.open(q, message));
    for (JsonNode r : file.get("rejections")) {
      assertRefused(r.get("error").asText(), () -> ProvisioningCipher.open(q, hex(r.get("message"))),
          r.get("name").asText());
    }
  }

  @Test
  void codeLinking() throws Exception {
    JsonNode file = vector("codelink");
    byte[] primarySeed = hex(file.get("primary").get("seed"));
    TestKeySource companionSource = new TestKeySource(hex(file.get("companion").get("seed")));
    IdentityKeyPair identity = IdentityKeyPair.generate(companionSource);
    CodePairing.Companion companion = CodePairing.Companion.start(companionSource, identity.publicKey());
    assertEquals(file.get("code").asText(), companion.code());
    assertArrayEquals(hex(file.get("hello")), companion.hello());
    byte[] replyPayload = hex(file.get("replyPayload"));

    JsonNode wrong = file.get("wrongCode");
    byte[] wrongReply = CodePairing.Primary.respond(new TestKeySource(primarySeed), wrong.get("typed").asText(),
        companion.hello(), replyPayload).reply();
    assertArrayEquals(hex(wrong.get("reply")), wrongReply);
    assertRefused(wrong.get("error").asText(), () -> companion.openReply(wrongReply), "wrong code");

    CodePairing.Primary primary = CodePairing.Primary.respond(new TestKeySource(primarySeed), companion.code(),
        companion.hello(), replyPayload);
    assertArrayEquals(hex(file.get("reply")), primary.reply());
    for (JsonNode r : file.get("rejections")) {
      String name = r.get("name").asText();
      String stage = r.get("stage").asText();
      if (stage.equals("hello")) {
        byte[] reply = CodePairing.Primary.respond(new TestKeySource(primarySeed), companion.code(),
            hex(r.get("hello")), replyPayload).reply();
        assertArrayEquals(hex(r.get("reply")), reply, name);
        assertRefused(r.get("error").asText(), () -> companion.openReply(reply), name);
      } else if (stage.equals("respond")) {
        assertRefused(r.get("error").asText(), () -> CodePairing.Primary.respond(new TestKeySource(primarySeed),
            companion.code(), hex(r.get("hello")), replyPayload), name);
      } else if (stage.equals("reply")) {
        assertRefused(r.get("error").asText(), () -> companion.openReply(hex(r.get("message"))), name);
      }
    }
    assertArrayEquals(replyPayload, companion.openReply(primary.reply()));
    byte[] confirm = companion.confirm(hex(file.get("confirmPayload")));
    assertArrayEquals(hex(file.get("confirm")), confirm);
    for (JsonNode r : file.get("rejections")) {
      if (r.get("stage").asText().equals("confirm")) {
        assertRefused(r.get("error").asText(), () -> primary.openConfirm(hex(r.get("message"))),
            r.get("name").asText());
      }
    }
    assertArrayEquals(hex(file.get("confirmPayload")), primary.openConfirm(confirm));
    assertEquals(identity.publicKey(), primary.companionIdentity());
    for (JsonNode n : file.get("normalise")) {
      String input = n.get("input").asText();
      if (n.has("error")) {
        assertRefused(n.get("error").asText(), () -> LinkCode.normalise(input), input);
      } else {
        assertEquals(n.get("code").asText(), LinkCode.normalise(input), input);
      }
    }
  }

  @Test
  void fingerprints() throws Exception {
    for (JsonNode c : vector("fingerprint").get("cases")) {
      JsonNode a = c.get("a");
      JsonNode b = c.get("b");
      assertEquals(a.get("fingerprint").asText(), SafetyNumber.fingerprint(hex(a.get("accountKey")), a.get("number").asText()));
      assertEquals(b.get("fingerprint").asText(), SafetyNumber.fingerprint(hex(b.get("accountKey")), b.get("number").asText()));
      assertEquals(c.get("safetyNumber").asText(), SafetyNumber.between(hex(a.get("accountKey")),
          a.get("number").asText(), hex(b.get("accountKey")), b.get("number").asText()));
      assertEquals(c.get("safetyNumber").asText(), SafetyNumber.between(hex(b.get("accountKey")),
          b.get("number").asText(), hex(a.get("accountKey")), a.get("number").asText()));
    }
  }

  @Test
  void envelopes() throws Exception {
    JsonNode file = vector("envelope");
    for (JsonNode v : file.get("valid")) {
      JsonNode f = v.get("fields");
      Envelope envelope = new Envelope(f.get("kind").asInt(), hex(f.get("messageId")), f.get("timestamp").asLong(),
          f.get("serverTimestamp").asLong(), f.get("source").asText(), f.get("sourceDevice").asLong(),
          f.get("destinationDevice").asLong(), hex(f.get("content")));
      assertArrayEquals(hex(v.get("bytes")), envelope.encode());
      Envelope parsed = Envelope.parse(hex(v.get("bytes")));
      assertArrayEquals(envelope.encode(), parsed.encode());
      assertEquals(f.get("source").asText(), parsed.source());
    }
    for (JsonNode r : file.get("invalid")) {
      assertRefused(r.get("error").asText(), () -> Envelope.parse(hex(r.get("bytes"))), r.get("name").asText());
    }
  }

  @Test
  void deliveryFrames() throws Exception {
    JsonNode file = vector("delivery");
    for (JsonNode v : file.get("validFrames")) {
      Delivery.EnvelopeFrame frame = Delivery.EnvelopeFrame.parse(hex(v.get("frame")));
      assertEquals(v.get("seq").asLong(), frame.seq());
      assertEquals(v.get("online").asBoolean(), frame.isOnline());
      assertArrayEquals(hex(v.get("envelope")), frame.envelope());
      assertArrayEquals(hex(v.get("frame")), new Delivery.EnvelopeFrame(frame.seq(), frame.envelope()).encode());
    }
    for (JsonNode r : file.get("invalidFrames")) {
      assertRefused(r.get("error").asText(), () -> Delivery.EnvelopeFrame.parse(hex(r.get("frame"))),
          r.get("name").asText());
    }
  }

  @Test
  void logoutReasonsAndReconnectDelays() throws Exception {
    JsonNode file = vector("delivery");
    for (JsonNode c : file.get("logouts")) {
      String reason = c.get("reason").isNull() ? null : c.get("reason").asText();
      assertEquals(c.get("logout").asText(), Delivery.Reason.logout(c.get("code").asInt(), reason), c.toString());
    }
    for (JsonNode c : file.get("reconnect").get("delays")) {
      assertEquals(c.get("delayMs").asLong(),
          Delivery.Reconnect.delay(c.get("attempt").asInt(), c.get("random").asDouble()).toMillis(), c.toString());
    }
  }
}
