package org.quintet.protocol.vectors;

import static org.quintet.protocol.vectors.Json.obj;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolException;

/** session.json: X3DH set-up and a long Double Ratchet conversation with out-of-order delivery. */
final class SessionVectors {
  private final Map<String, Party> parties = new HashMap<>();
  private final Map<Integer, byte[]> sent = new HashMap<>();
  private final Map<Integer, byte[]> plaintexts = new HashMap<>();
  private List<Object> ops = new ArrayList<>();
  private int nextId = 1;

  static Map<String, Object> generate() throws ProtocolException {
    return obj("description", "X3DH session set-up and Double Ratchet steps; see README.md",
        "cases", List.of(new SessionVectors().longConversation(), new SessionVectors().withoutOneTimePreKey()));
  }

  private Map<String, Object> longConversation() throws ProtocolException {
    byte[] aliceSeed = Seeds.seed("session alice");
    byte[] bobSeed = Seeds.seed("session bob");
    Party alice = party("alice", aliceSeed);
    Party bob = party("bob", bobSeed);
    bob.makePreKeys(7, 42);
    alice.initiate(bob);

    int a1 = send("alice", "hello bob, this is the first message");
    int a2 = send("alice", "second, delivered first");
    int a3 = send("alice", "third");
    receive("bob", a2);
    receive("bob", a1);
    receive("bob", a3);

    record Held(int round, String to, int id) {}
    List<Held> held = new ArrayList<>();
    for (int round = 0; round < 60; round++) {
      String sender = round % 2 == 0 ? "bob" : "alice";
      String receiver = round % 2 == 0 ? "alice" : "bob";
      int count = 1 + round % 3;
      List<Integer> ids = new ArrayList<>();
      for (int j = 0; j < count; j++) {
        ids.add(send(sender, text(round, j)));
      }
      Integer crossing = round % 7 == 3 ? send(receiver, "crossing in round " + round) : null;
      if (round % 5 == 1 && ids.size() >= 2) {
        held.add(new Held(round + 2, receiver, ids.remove(0)));
      }
      if (round % 2 == 1) {
        java.util.Collections.reverse(ids);
      }
      for (int id : ids) {
        receive(receiver, id);
      }
      if (crossing != null) {
        receive(sender, crossing);
      }
      for (Held h : List.copyOf(held)) {
        if (h.round() == round) {
          receive(h.to(), h.id());
          held.remove(h);
        }
      }
    }
    for (Held h : held) {
      receive(h.to(), h.id());
    }
    int fromReplacedChain = lastSendOf("alice", 3);
    int lastDelivered = send("alice", "the last message bob has");
    receive("bob", lastDelivered);
    int target = send("alice", "kept back for the rejection cases");
    List<Object> script = ops;

    Party carol = new Party(Seeds.seed("session carol"));
    bob.oneTimePreKey = null;
    carol.initiate(bob);
    byte[] carolPreKey = carol.encrypt("from another session".getBytes(StandardCharsets.UTF_8));
    byte[] carolRatchet = Bytes.slice(carolPreKey, 106, carolPreKey.length);

    byte[] x = sent.get(target);
    long counter = Bytes.readU32(x, 38);
    List<Object> rejections = new ArrayList<>();
    reject(rejections, "bob", "session", "replay of the last delivered message", sent.get(lastDelivered));
    reject(rejections, "bob", "session", "replay of a message of a replaced chain", sent.get(fromReplacedChain));
    reject(rejections, "bob", "session", "replay of a message older than the remembered chains", sent.get(a1));
    reject(rejections, "bob", "accept", "replay of the first prekey message as a new session", sent.get(a1));
    reject(rejections, "bob", "accept", "prekey message naming an unknown signed prekey",
        withU32(sent.get(a1), 98, 99));
    reject(rejections, "bob", "session", "flipped ciphertext byte", Seeds.flip(x, x.length - 1, 0x01));
    reject(rejections, "bob", "session", "flipped header counter", withU32(x, 38, counter + 1));
    reject(rejections, "bob", "session", "flipped previous counter", Seeds.flip(x, 37, 0x01));
    reject(rejections, "bob", "session", "flipped ratchet key", Seeds.flip(x, 2, 0x01));
    reject(rejections, "bob", "session", "truncated below the minimum", Seeds.truncate(x, 57));
    reject(rejections, "bob", "session", "truncated to the header", Seeds.truncate(x, 42));
    reject(rejections, "bob", "session", "unsupported version", Seeds.withByte(x, 0, 2));
    reject(rejections, "bob", "session", "unknown message type", Seeds.withByte(x, 1, 3));
    reject(rejections, "bob", "session", "too far ahead on the current chain",
        withU32(x, 38, counter + Limits.MAX_SKIP + 1));
    reject(rejections, "bob", "session", "too far ahead on a new chain",
        withU32(Seeds.flip(x, 2, 0x01), 38, Limits.MAX_SKIP + 1));
    reject(rejections, "bob", "session", "ratchet message of another session", carolRatchet);
    reject(rejections, "bob", "session", "prekey message of another session", carolPreKey);
    reject(rejections, "bob", "session", "low-order ratchet key", withZeroRatchetKey(x));
    reject(rejections, "bob", "session", "ratchet key with its top bit set", Seeds.flip(x, 33, 0x80));
    reject(rejections, "alice", "session", "replay to the initiator", sent.get(lastSendOf("bob", 1)));
    reject(rejections, "alice", "session", "prekey message to the initiator", sent.get(a1));

    ops = new ArrayList<>();
    receive("bob", target);
    int answer = send("bob", "and the conversation goes on");
    receive("alice", answer);
    return obj("name", "one-time prekey, 60 ratchet rounds, out-of-order and crossing messages",
        "alice", obj("seed", aliceSeed), "bob", obj("seed", bobSeed),
        "signedPreKeyId", 7, "oneTimePreKeyId", 42,
        "script", script, "rejections", rejections, "after", ops);
  }

  private Map<String, Object> withoutOneTimePreKey() throws ProtocolException {
    byte[] aliceSeed = Seeds.seed("session alice 2");
    byte[] bobSeed = Seeds.seed("session bob 2");
    Party alice = party("alice", aliceSeed);
    Party bob = party("bob", bobSeed);
    bob.makePreKeys(3, 0);
    alice.initiate(bob);
    int p1 = send("alice", "no one-time prekey was left");
    int p2 = send("alice", "");
    receive("bob", p1);
    receive("bob", p2);
    int b1 = send("bob", "got both");
    receive("alice", b1);
    int a3 = send("alice", "now a plain ratchet message");
    receive("bob", a3);
    List<Object> script = ops;
    List<Object> rejections = new ArrayList<>();
    reject(rejections, "bob", "session", "replay of the first prekey message", sent.get(p1));
    reject(rejections, "bob", "session", "replay of an empty message", sent.get(p2));
    reject(rejections, "bob", "accept", "base key with its top bit set", Seeds.flip(sent.get(p1), 97, 0x80));
    reject(rejections, "bob", "session", "prekey message of this session with another sender identity",
        Seeds.flip(sent.get(p1), 5, 0x01));
    reject(rejections, "bob", "session", "prekey message of this session naming another signed prekey",
        Seeds.flip(sent.get(p1), 101, 0x01));
    reject(rejections, "bob", "accept", "ratchet message handed to session set-up", sent.get(a3));
    reject(rejections, "alice", "session", "replay of the reply", sent.get(b1));
    ops = new ArrayList<>();
    int b2 = send("bob", "still fine");
    receive("alice", b2);
    return obj("name", "no one-time prekey, empty plaintext",
        "alice", obj("seed", aliceSeed), "bob", obj("seed", bobSeed),
        "signedPreKeyId", 3, "oneTimePreKeyId", 0,
        "script", script, "rejections", rejections, "after", ops);
  }

  private Party party(String name, byte[] seed) {
    Party party = new Party(seed);
    parties.put(name, party);
    return party;
  }

  private static String text(int round, int index) {
    String base = "round " + round + " message " + index + " ";
    return base + "x".repeat((round * 37 + index * 11) % 200);
  }

  private int send(String from, String text) throws ProtocolException {
    byte[] plaintext = text.getBytes(StandardCharsets.UTF_8);
    byte[] message = parties.get(from).encrypt(plaintext);
    int id = nextId++;
    sent.put(id, message);
    plaintexts.put(id, plaintext);
    ops.add(obj("op", "send", "from", from, "id", id, "plaintext", plaintext, "message", message));
    return id;
  }

  private void receive(String to, int id) throws ProtocolException {
    byte[] plaintext = parties.get(to).decrypt(sent.get(id));
    if (!Arrays.equals(plaintext, plaintexts.get(id))) {
      throw new IllegalStateException("message " + id + " decrypted to something else");
    }
    ops.add(obj("op", "receive", "to", to, "id", id));
  }

  /** The id of the {@code back}-th latest message {@code from} sent that starts a new chain. */
  private int lastSendOf(String from, int back) {
    List<Integer> ids = new ArrayList<>();
    byte[] previousKey = null;
    for (Object op : ops) {
      @SuppressWarnings("unchecked")
      Map<String, Object> o = (Map<String, Object>) op;
      if ("send".equals(o.get("op")) && from.equals(o.get("from"))) {
        int id = (Integer) o.get("id");
        byte[] ratchetKey = ratchetKey(sent.get(id));
        if (!Arrays.equals(ratchetKey, previousKey)) {
          ids.add(id);
        }
        previousKey = ratchetKey;
      }
    }
    return ids.get(ids.size() - back);
  }

  private static byte[] ratchetKey(byte[] message) {
    int offset = message[1] == 2 ? 106 : 0;
    return Bytes.slice(message, offset + 2, offset + 34);
  }

  private void reject(List<Object> out, String to, String via, String name, byte[] message) {
    Party party = parties.get(to);
    try {
      if (via.equals("accept")) {
        party.accept(message);
      } else {
        party.session.decrypt(message);
      }
      throw new IllegalStateException("rejection case '" + name + "' was accepted");
    } catch (ProtocolException e) {
      out.add(obj("name", name, "to", to, "via", via, "message", message, "error", e.error().name()));
    }
  }

  private static byte[] withU32(byte[] bytes, int offset, long value) {
    byte[] out = bytes.clone();
    System.arraycopy(Bytes.u32(value), 0, out, offset, 4);
    return out;
  }

  private static byte[] withZeroRatchetKey(byte[] message) {
    byte[] out = message.clone();
    Arrays.fill(out, 2, 34, (byte) 0);
    return out;
  }

}
