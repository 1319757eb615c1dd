package org.quintet.relay.storage.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.quintet.relay.storage.Device;
import org.quintet.relay.storage.StoredEnvelope;

/** Turns stored values back into records; {@link RedisStorage} and the scripts write them. */
final class Decode {
  private Decode() {}

  /** Names and platforms are optional: stored as "-" when absent and "+" then the text otherwise. */
  static String optionalText(String text) {
    return text == null ? "-" : "+" + text;
  }

  static String optionalText(Response stored) {
    String text = stored.toString();
    return text.startsWith("+") ? text.substring(1) : null;
  }

  /** A device as the scripts return it: id, identity, regid, cert, name, platform, created, seen. */
  static Device device(String number, Response fields) {
    return new Device(number, fields.get(0).toLong(), fields.get(1).toBytes(), fields.get(2).toInteger(),
        fields.get(3).toBytes(), optionalText(fields.get(4)), optionalText(fields.get(5)), fields.get(6).toLong(),
        fields.get(7).toLong());
  }

  static List<Device> devices(String number, Response list) {
    List<Device> devices = new ArrayList<>(list.size());
    for (Response fields : list) {
      devices.add(device(number, fields));
    }
    return devices;
  }

  /** A queue member: "SEQ:EXPIRES:" then the envelope's bytes, which may hold anything. */
  static StoredEnvelope envelope(Response member) {
    byte[] bytes = member.toBytes();
    int first = indexOf(bytes, 0);
    int second = indexOf(bytes, first + 1);
    long seq = Long.parseLong(new String(bytes, 0, first, UTF_8));
    long expiresAt = Long.parseLong(new String(bytes, first + 1, second - first - 1, UTF_8));
    byte[] envelope = new byte[bytes.length - second - 1];
    System.arraycopy(bytes, second + 1, envelope, 0, envelope.length);
    return new StoredEnvelope(seq, envelope, expiresAt);
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == ':') {
        return i;
      }
    }
    throw new IllegalStateException("a queue member without its seq and expiry");
  }
}
