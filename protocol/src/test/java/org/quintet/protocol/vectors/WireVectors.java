package org.quintet.protocol.vectors;

import static org.quintet.protocol.vectors.Json.obj;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.Limits;

/**
 * delivery.json and limits.json: the constants both languages must share, read from the Java
 * classes by reflection so that a constant added on one side and not the other fails the other's
 * tests.
 */
final class WireVectors {
  private WireVectors() {}

  static Map<String, Object> delivery() {
    byte[] envelope = Bytes.fromHex("0102aabbccdd");
    List<Object> valid = new ArrayList<>();
    for (long seq : new long[] {1, 4_294_967_296L, Limits.MAX_U64}) {
      valid.add(frame(new Delivery.EnvelopeFrame(seq, envelope)));
    }
    valid.add(frame(new Delivery.EnvelopeFrame(7, new byte[0])));
    valid.add(frame(Delivery.EnvelopeFrame.online(envelope)));
    valid.add(frame(Delivery.EnvelopeFrame.online(new byte[0])));
    byte[] good = new Delivery.EnvelopeFrame(1, envelope).encode();
    List<Object> invalid = new ArrayList<>();
    invalid.add(obj("name", "empty", "frame", new byte[0], "error", "MALFORMED"));
    invalid.add(obj("name", "header cut short", "frame", Seeds.truncate(good, Delivery.FRAME_HEADER - 1),
        "error", "MALFORMED"));
    invalid.add(obj("name", "unknown kind", "frame", Seeds.withByte(good, 0, 3), "error", "MALFORMED"));
    // Built by hand: an EnvelopeFrame numbered 0 is an online one.
    invalid.add(obj("name", "seq zero", "frame", Bytes.concat(new byte[] {Delivery.ENVELOPE_FRAME}, Bytes.u64(0),
        envelope), "error", "MALFORMED"));
    invalid.add(obj("name", "seq above 2^53-1", "frame", new Delivery.EnvelopeFrame(Limits.MAX_U64 + 1, envelope)
        .encode(), "error", "MALFORMED"));
    invalid.add(obj("name", "larger than the largest envelope", "frame",
        new Delivery.EnvelopeFrame(1, new byte[Envelope.MAX_LENGTH + 1]).encode(), "error", "MALFORMED"));
    invalid.add(obj("name", "online, larger than the largest envelope", "frame",
        Delivery.EnvelopeFrame.online(new byte[Envelope.MAX_LENGTH + 1]).encode(), "error", "MALFORMED"));
    List<Object> logouts = new ArrayList<>();
    for (int code : new int[] {Delivery.Close.DEVICE_REMOVED, Delivery.Close.NUMBER_REREGISTERED}) {
      for (String reason : new String[] {null, "", "removed", "primary-inactive", "inactive", "logged-out",
          "reregistered", "some later word"}) {
        logouts.add(obj("code", code, "reason", reason, "logout", Delivery.Reason.logout(code, reason)));
      }
    }
    List<Object> delays = new ArrayList<>();
    for (int attempt : new int[] {0, 1, 2, 5, 6, 7, 20, 1000}) {
      for (double random : new double[] {0, 0.5, 0.999999}) {
        delays.add(obj("attempt", attempt, "random", random,
            "delayMs", Delivery.Reconnect.delay(attempt, random).toMillis()));
      }
    }
    return obj(
        "description", "the delivery wire contract; see README.md",
        "paths", obj("delivery", Delivery.DELIVERY_PATH, "provisioning", Delivery.PROVISIONING_PATH),
        "frame", obj("envelopeFrame", Delivery.ENVELOPE_FRAME, "header", Delivery.FRAME_HEADER,
            "max", Delivery.MAX_FRAME, "onlineFrame", Delivery.ONLINE_FRAME,
            "onlineHeader", Delivery.ONLINE_FRAME_HEADER),
        "close", constants(Delivery.Close.class),
        "reason", constants(Delivery.Reason.class),
        "logoutReasons", Delivery.Reason.LOGOUTS,
        "event", constants(Delivery.Event.class),
        "provisioningFrame", constants(Delivery.ProvisioningFrame.class),
        "keepalive", obj("pingIntervalMs", Delivery.Keepalive.PING_INTERVAL.toMillis(),
            "idleTimeoutMs", Delivery.Keepalive.IDLE_TIMEOUT.toMillis()),
        "reconnect", obj("firstMs", Delivery.Reconnect.FIRST.toMillis(), "lastMs", Delivery.Reconnect.LAST.toMillis(),
            "jitter", Delivery.Reconnect.JITTER, "delays", delays),
        "validFrames", valid,
        "invalidFrames", invalid,
        "logouts", logouts);
  }

  private static Map<String, Object> frame(Delivery.EnvelopeFrame frame) {
    return obj("seq", frame.seq(), "online", frame.isOnline(), "envelope", frame.envelope(), "frame", frame.encode());
  }

  static Map<String, Object> limits() {
    Map<String, Object> out = constants(Limits.class);
    out.put("MAX_ENVELOPE", Envelope.MAX_LENGTH);
    return obj("description", "every bound of the protocol; see README.md", "limits", out);
  }

  /** The public static final numbers and strings of a class, by name, in declaration order. */
  private static Map<String, Object> constants(Class<?> type) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Field field : type.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      boolean constant = Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers);
      if (!constant || !(field.getType().isPrimitive() || field.getType() == String.class)) {
        continue;
      }
      try {
        out.put(field.getName(), field.get(null));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
