package org.quintet.relay.delivery;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.api.ApiException;
import org.quintet.relay.api.Integers;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StoredEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's delivery connection: sends its queue oldest first with at most {@code window}
 * envelopes unacknowledged and no more than the socket can take, and removes an envelope from the
 * queue only when the device acknowledges it. Runs on the event loop of its socket.
 */
public final class DeviceConnection {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceConnection.class);

  private final ServerWebSocket socket;
  private final AuthenticatedDevice device;
  private final long epoch;
  private final RelayStorage storage;
  private final Clock clock;
  private final Acknowledgements acknowledgements;
  private final int window;
  private final Set<Long> inFlight = new HashSet<>();
  /** Acknowledgements that came while the previous ones were being written: the next batch. */
  private final Set<Long> acknowledgedMeanwhile = new LinkedHashSet<>();
  private boolean acknowledging;
  private long lastSent;
  private boolean draining;
  private boolean rungWhileDraining;
  private boolean queueEmptyAnnounced;
  private boolean closed;
  private final RelayMetrics metrics;

  /** What happens after a device acknowledged envelopes (delivery receipts). */
  public interface Acknowledgements {
    Future<Void> acknowledged(AuthenticatedDevice by, List<StoredEnvelope> envelopes);
  }

  DeviceConnection(ServerWebSocket socket, AuthenticatedDevice device, long epoch, RelayStorage storage, Clock clock,
      Acknowledgements acknowledgements, int window, RelayMetrics metrics) {
    this.socket = socket;
    this.device = device;
    this.epoch = epoch;
    this.storage = storage;
    this.clock = clock;
    this.acknowledgements = acknowledgements;
    this.window = window;
    this.metrics = metrics;
  }

  public AuthenticatedDevice device() {
    return device;
  }

  /** The epoch of this connection's presence claim: a connection with a higher one replaces it. */
  long epoch() {
    return epoch;
  }

  void start(Runnable onClose) {
    socket.textMessageHandler(this::onText);
    socket.binaryMessageHandler(data -> refuse("INVALID_FRAME", "devices send only text frames"));
    socket.closeHandler(v -> {
      closed = true;
      onClose.run();
    });
    socket.exceptionHandler(e -> LOG.debug("socket error for {}/{}: {}", device.number(), device.deviceId(),
        e.getMessage()));
    socket.drainHandler(v -> ring());
    // The node is stopping (RelayServer#close): the device hears why at once, not when the grace ends.
    socket.shutdownHandler(v -> close(Close.GOING_AWAY, Reason.GOING_AWAY));
    ring();
  }

  /** New envelopes may be queued: send what the window and the socket allow. */
  public void ring() {
    // A socket that got the device's close frame is closed before its close handler runs, and
    // asking it whether its write queue is full then throws.
    if (closed || socket.isClosed()) {
      return;
    }
    if (draining) {
      rungWhileDraining = true;
      return;
    }
    int room = window - inFlight.size();
    if (room <= 0 || socket.writeQueueFull()) {
      return;
    }
    draining = true;
    rungWhileDraining = false;
    storage.peek(device.number(), device.deviceId(), lastSent, room).onComplete(result -> {
      draining = false;
      if (closed) {
        return;
      }
      if (result.failed()) {
        LOG.warn("reading the queue of {}/{} failed: {}", device.number(), device.deviceId(),
            result.cause().toString());
        return;
      }
      send(result.result(), room);
    });
  }

  private void send(List<StoredEnvelope> envelopes, int asked) {
    long now = clock.millis();
    int written = 0;
    List<Long> expired = new ArrayList<>();
    for (StoredEnvelope envelope : envelopes) {
      if (envelope.expiresAt() <= now) {
        expired.add(envelope.seq());
        lastSent = envelope.seq();
        continue;
      }
      socket.writeBinaryMessage(Buffer.buffer(Delivery.FRAME_HEADER + envelope.envelope().length)
          .appendByte(Delivery.ENVELOPE_FRAME).appendLong(envelope.seq()).appendBytes(envelope.envelope()));
      inFlight.add(envelope.seq());
      lastSent = envelope.seq();
      queueEmptyAnnounced = false;
      written++;
    }
    metrics.envelopesDelivered(written);
    discard(expired);
    if (envelopes.size() < asked && !queueEmptyAnnounced) {
      queueEmptyAnnounced = true;
      event(new JsonObject().put("type", Event.QUEUE_EMPTY));
    }
    if (rungWhileDraining || envelopes.size() == asked) {
      ring();
    }
  }

  /**
   * Removes expired envelopes the device will never get, without a receipt. The hourly purge would
   * too, but until then they count against the queue's quota and are read again at every
   * connection; an envelope sent with a short {@code ttlSeconds} is expired within seconds.
   */
  private void discard(List<Long> expired) {
    if (expired.isEmpty()) {
      return;
    }
    storage.acknowledge(device.number(), device.deviceId(), expired).onFailure(e ->
        LOG.debug("removing expired envelopes of {}/{} failed: {}", device.number(), device.deviceId(),
            e.toString()));
  }

  /**
   * Writes an online envelope now, out of the queue's order (it is in no queue). A socket that has
   * more waiting to be written than it can take drops it: an online envelope is worth something
   * only now, and holding it would only hold the queue up.
   */
  void online(byte[] envelope) {
    if (closed || socket.isClosed() || socket.writeQueueFull()) {
      return;
    }
    socket.writeBinaryMessage(Buffer.buffer(Delivery.ONLINE_FRAME_HEADER + envelope.length)
        .appendByte(Delivery.ONLINE_FRAME).appendBytes(envelope));
    metrics.envelopesDelivered(1);
  }

  private void onText(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException e) {
      refuse("INVALID_FRAME", "a frame is a JSON object");
      return;
    }
    if (!Event.ACK.equals(frame.getValue("type"))) {
      refuse("INVALID_FRAME", "the only frame a device sends is {\"type\":\"ack\",\"seq\":N}");
      return;
    }
    long seq;
    try {
      // A seq of 1.5, 1e3 or 2^64 + 1 is not a seq the relay sent, whatever its low bits say.
      seq = Integers.of(frame.getValue("seq"), 1, Long.MAX_VALUE, "an ack's \"seq\"");
    } catch (ApiException e) {
      refuse("INVALID_FRAME", e.getMessage());
      return;
    }
    acknowledge(seq);
  }

  /**
   * Acknowledgements are written in batches: the first at once, and those that arrive while it is
   * being written together afterwards, so a draining device costs a write per batch, not per
   * envelope.
   */
  private void acknowledge(long seq) {
    acknowledgedMeanwhile.add(seq);
    if (!acknowledging) {
      writeAcknowledgements();
    }
  }

  private void writeAcknowledgements() {
    // Acknowledgements a device sent before hanging up are written all the same.
    if (acknowledgedMeanwhile.isEmpty()) {
      acknowledging = false;
      return;
    }
    acknowledging = true;
    List<Long> batch = acknowledgedMeanwhile.stream().limit(RelayLimits.MAX_ACKNOWLEDGEMENTS_PER_WRITE).toList();
    batch.forEach(acknowledgedMeanwhile::remove);
    storage.acknowledge(device.number(), device.deviceId(), batch)
        .compose(removed -> {
          metrics.envelopesAcknowledged(removed.size());
          batch.forEach(inFlight::remove);
          return acknowledgements.acknowledged(device, removed);
        })
        .onComplete(result -> {
          if (result.failed()) {
            LOG.warn("acknowledgement by {}/{} failed: {}", device.number(), device.deviceId(),
                result.cause().toString());
          }
          writeAcknowledgements();
          ring();
        });
  }

  public void event(JsonObject event) {
    if (!closed) {
      socket.writeTextMessage(event.encode());
    }
  }

  private void refuse(String code, String message) {
    event(new JsonObject().put("type", Event.ERROR).put("error", code).put("message", message));
  }

  public void close(int code, String reason) {
    if (!closed) {
      closed = true;
      socket.close((short) code, reason);
    }
  }
}
