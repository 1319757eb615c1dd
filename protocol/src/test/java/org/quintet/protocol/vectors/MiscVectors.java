package org.quintet.protocol.vectors;

import static org.quintet.protocol.vectors.Json.obj;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.SafetyNumber;

/** fingerprint.json and envelope.json. */
final class MiscVectors {
  private MiscVectors() {}

  static Map<String, Object> fingerprints() throws ProtocolException {
    List<Object> cases = new ArrayList<>();
    String[][] pairs = {{"+8801711000001", "+8801811000002"}, {"+14155550100", "+447700900123"}};
    for (int c = 0; c < pairs.length; c++) {
      byte[] a = IdentityKeyPair.generate(Seeds.source(Seeds.seed("fingerprint a " + c))).signing().publicKey();
      byte[] b = IdentityKeyPair.generate(Seeds.source(Seeds.seed("fingerprint b " + c))).signing().publicKey();
      cases.add(obj(
          "a", obj("accountKey", a, "number", pairs[c][0], "fingerprint", SafetyNumber.fingerprint(a, pairs[c][0])),
          "b", obj("accountKey", b, "number", pairs[c][1], "fingerprint", SafetyNumber.fingerprint(b, pairs[c][1])),
          "safetyNumber", SafetyNumber.between(a, pairs[c][0], b, pairs[c][1])));
    }
    return obj("description", "safety numbers; see README.md", "cases", cases);
  }

  static Map<String, Object> envelopes() {
    byte[] id = Bytes.fromHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    List<Envelope> valid = List.of(
        new Envelope(Envelope.KIND_PREKEY_MESSAGE, id, 1_790_000_000_123L, 1_790_000_000_456L,
            "+8801711000001", 1, 3, Bytes.fromHex("0102aabbccdd")),
        new Envelope(Envelope.KIND_RATCHET_MESSAGE, id, 0, 1, "+123456", 4_294_967_295L, 1,
            Bytes.fromHex("0101")),
        new Envelope(Envelope.KIND_DELIVERY_RECEIPT, id, 42, 43, "+447700900123", 2, 5, new byte[0]));
    List<Object> validOut = new ArrayList<>();
    for (Envelope e : valid) {
      validOut.add(obj("fields", obj("kind", e.kind(), "messageId", e.messageId(), "timestamp", e.timestamp(),
          "serverTimestamp", e.serverTimestamp(), "source", e.source(), "sourceDevice", e.sourceDevice(),
          "destinationDevice", e.destinationDevice(), "content", e.content()), "bytes", e.encode()));
    }
    byte[] good = valid.get(0).encode();
    int sourceAt = 34;
    int afterSource = sourceAt + 1 + 14;
    List<Object> invalid = new ArrayList<>();
    invalid(invalid, "empty", new byte[0]);
    invalid(invalid, "unsupported version", Seeds.withByte(good, 0, 2));
    invalid(invalid, "kind zero", Seeds.withByte(good, 1, 0));
    invalid(invalid, "unknown kind", Seeds.withByte(good, 1, 4));
    invalid(invalid, "truncated in the fixed part", Seeds.truncate(good, 30));
    invalid(invalid, "truncated content", Seeds.truncate(good, good.length - 1));
    invalid(invalid, "trailing byte", Bytes.concat(good, new byte[1]));
    invalid(invalid, "source without plus", Seeds.withByte(good, sourceAt + 1, '8'));
    invalid(invalid, "source with a letter", Seeds.withByte(good, sourceAt + 5, 'a'));
    invalid(invalid, "source too short", Seeds.withByte(Seeds.truncate(good, sourceAt), sourceAt - 1, 0));
    invalid(invalid, "source device zero", Bytes.concat(Seeds.truncate(good, afterSource), new byte[4],
        Bytes.slice(good, afterSource + 4, good.length)));
    invalid(invalid, "destination device zero", Bytes.concat(Seeds.truncate(good, afterSource + 4), new byte[4],
        Bytes.slice(good, afterSource + 8, good.length)));
    invalid(invalid, "receipt with content", Seeds.withByte(good, 1, 3));
    invalid(invalid, "message without content", Seeds.withByte(valid.get(2).encode(), 1, 2));
    invalid(invalid, "timestamp above 2^53-1", Bytes.concat(Seeds.truncate(good, 18), Bytes.u64(1L << 53),
        Bytes.slice(good, 26, good.length)));
    invalid(invalid, "content length over the limit", Bytes.concat(Seeds.truncate(good, afterSource + 8),
        Bytes.u32(0x7FFF_FFFFL)));
    return obj("description", "envelopes; see README.md", "valid", validOut, "invalid", invalid);
  }

  private static void invalid(List<Object> out, String name, byte[] bytes) {
    try {
      Envelope.parse(bytes);
      throw new IllegalStateException("invalid envelope '" + name + "' parsed");
    } catch (ProtocolException e) {
      out.add(obj("name", name, "bytes", bytes, "error", e.error().name()));
    }
  }
}
