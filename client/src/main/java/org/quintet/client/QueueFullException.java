package org.quintet.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay refused a send because a device it was for already has as much waiting for it as its
 * queue may hold (507 {@code QUEUE_FULL}, docs/relay-api.md): nothing of the message was sent, to
 * anyone. {@link #queues()} says whose device it is and which limit; the message can be sent again
 * once that device has taken its messages (or, for one of this account's own devices, once it is
 * removed).
 */
public final class QueueFullException extends RelayException {
  static final String CODE = "QUEUE_FULL";

  /** The limit a queue reached: as many envelopes, or as many bytes of envelopes, as it may hold. */
  public enum Limit { ENVELOPES, BYTES }

  /** A device's queue that is full: its number and device id, the limit, and the limit's value (0 if not given). */
  public record FullQueue(String number, long deviceId, Limit limit, long max) {}

  private final List<FullQueue> queues;
  /** The sending account's number, once the sender has said it; null before. */
  private final String ownNumber;

  QueueFullException(int status, String message, JsonObject details) {
    this(status, message, details, null);
  }

  private QueueFullException(int status, String message, JsonObject details, String ownNumber) {
    super(status, CODE, message, details);
    this.queues = List.copyOf(read(details));
    this.ownNumber = ownNumber;
  }

  /** The same refusal, knowing which number is the sender's own, so {@link #isOwnDevice} can tell. */
  QueueFullException sentFrom(String number) {
    return new QueueFullException(status(), getMessage().substring(CODE.length() + 2), details(), number);
  }

  /** Every full queue the relay named (at least one). */
  public List<FullQueue> queues() {
    return queues;
  }

  /** Whether the full queue is one of the sending account's own other devices (then removing it makes room). */
  public boolean isOwnDevice(FullQueue queue) {
    return queue.number().equals(ownNumber);
  }

  private static List<FullQueue> read(JsonObject details) {
    List<FullQueue> out = new ArrayList<>();
    Object listed = details.getValue("queues");
    if (listed instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof JsonObject queue && queue.getValue("number") instanceof String number
            && queue.getValue("deviceId") instanceof Number deviceId) {
          Limit limit = "bytes".equals(queue.getValue("limit")) ? Limit.BYTES : Limit.ENVELOPES;
          long max = queue.getValue("max") instanceof Number value ? value.longValue() : 0;
          out.add(new FullQueue(number, deviceId.longValue(), limit, max));
        }
      }
    }
    return out;
  }
}
