package org.quintet.protocol;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The wire contract of the relay's two WebSockets (docs/relay-api.md, "Delivery" and "Linking"):
 * paths, the envelope frames, close codes and reasons, frame and event names, and how a client
 * connects again. The relay and both clients take every one of these from here (the browser from
 * its twin, static/js/protocol/delivery.js), and protocol/vectors/delivery.json keeps the two
 * the same.
 */
public final class Delivery {
  private Delivery() {}

  /** The delivery WebSocket; {@code ?token=} carries the device's bearer token. */
  public static final String DELIVERY_PATH = "/v1/websocket";
  /** The provisioning WebSocket a companion holds while it is being linked (no token). */
  public static final String PROVISIONING_PATH = "/v1/provisioning/websocket";

  /**
   * The frame of a queued envelope: {@code 0x01 || seq (u64, big-endian) || Envelope}. The device
   * acknowledges it by its seq, and only then does it leave the queue.
   */
  public static final byte ENVELOPE_FRAME = 0x01;
  public static final int FRAME_HEADER = 1 + 8;
  public static final int MAX_FRAME = FRAME_HEADER + Envelope.MAX_LENGTH;
  /**
   * The frame of an online envelope: {@code 0x02 || Envelope}. It was sent to the devices
   * connected at that moment and never queued, so it has no seq and is never acknowledged.
   */
  public static final byte ONLINE_FRAME = 0x02;
  public static final int ONLINE_FRAME_HEADER = 1;

  /**
   * An envelope as the relay sends it, and its place in the device's queue: {@code seq} 1 to
   * 2^53-1, or 0 for an online envelope, which is in no queue and is not acknowledged.
   */
  public record EnvelopeFrame(long seq, byte[] envelope) {
    public static EnvelopeFrame online(byte[] envelope) {
      return new EnvelopeFrame(0, envelope);
    }

    /** An online envelope: handled like any other, but there is nothing to acknowledge. */
    public boolean isOnline() {
      return seq == 0;
    }

    /** The frame's bytes. */
    public byte[] encode() {
      return isOnline() ? Bytes.concat(new byte[] {ONLINE_FRAME}, envelope)
          : Bytes.concat(new byte[] {ENVELOPE_FRAME}, Bytes.u64(seq), envelope);
    }

    /**
     * Reads a binary frame: {@code MALFORMED} when it is shorter than its header, larger than the
     * largest envelope allows, of another kind or, queued, numbered outside 1..2^53-1. The envelope
     * inside is not parsed here: a queued one that cannot be read is still acknowledged by its seq.
     */
    public static EnvelopeFrame parse(byte[] frame) throws ProtocolException {
      byte kind = frame.length == 0 ? 0 : frame[0];
      int header = kind == ONLINE_FRAME ? ONLINE_FRAME_HEADER : FRAME_HEADER;
      if (frame.length < header || frame.length > header + Envelope.MAX_LENGTH) {
        throw new ProtocolException(ProtocolError.MALFORMED, "a delivery frame of " + frame.length + " bytes");
      }
      if (kind == ONLINE_FRAME) {
        return online(Arrays.copyOfRange(frame, header, frame.length));
      }
      if (kind != ENVELOPE_FRAME) {
        throw new ProtocolException(ProtocolError.MALFORMED, "a delivery frame of an unknown kind");
      }
      long seq = Bytes.readU64(frame, 1);
      if (seq < 1 || seq > Limits.MAX_U64) {
        throw new ProtocolException(ProtocolError.MALFORMED, "a delivery frame numbered outside 1..2^53-1");
      }
      return new EnvelopeFrame(seq, Arrays.copyOfRange(frame, header, frame.length));
    }
  }

  /** WebSocket close codes the relay uses. */
  public static final class Close {
    private Close() {}

    /** The node is stopping: connect again, to this node once it is back or to another. */
    public static final int GOING_AWAY = 1001;
    /** The relay cannot serve the socket now (e.g. it lost its cluster): try again later. */
    public static final int UNAVAILABLE = 1011;
    /** A newer connection of the same device replaced this one: do not connect again. */
    public static final int REPLACED = 4000;
    /** The device is no longer part of its account; the reason says why. */
    public static final int DEVICE_REMOVED = 4001;
    /** The number was registered on a new primary, which logged every earlier device out. */
    public static final int NUMBER_REREGISTERED = 4002;
    /** A provisioning socket lived its time without being linked. */
    public static final int LINK_TIMED_OUT = 4010;

    /** A close that means this device is logged out for good. */
    public static boolean isLogout(int code) {
      return code == DEVICE_REMOVED || code == NUMBER_REREGISTERED;
    }
  }

  /** Close reasons: machine-readable words, which a device turns into a sentence for its user. */
  public static final class Reason {
    private Reason() {}

    public static final String REPLACED = "replaced";
    public static final String GOING_AWAY = "going-away";
    /** The device logged itself out. */
    public static final String LOGGED_OUT = "logged-out";
    /** The primary removed the device. */
    public static final String REMOVED = "removed";
    public static final String REREGISTERED = "reregistered";
    /** The primary was not seen for too long, so every companion was logged out. */
    public static final String PRIMARY_INACTIVE = "primary-inactive";
    /** The companion was not used for too long, so it was unlinked. */
    public static final String INACTIVE = "inactive";
    /** A provisioning socket lived its time; this and the next two are shown to a person as they are. */
    public static final String LINK_TIMED_OUT = "linking timed out; reload to try again";
    /** The node holding a provisioning socket is stopping. */
    public static final String LINK_GOING_AWAY = "the relay is restarting; reload to try again";
    /** The relay could not set up linking (e.g. its cluster is unreachable). */
    public static final String LINK_UNAVAILABLE = "linking is unavailable; try again";

    /** The reasons a device can be logged out for. */
    public static final List<String> LOGOUTS = List.of(LOGGED_OUT, REMOVED, REREGISTERED, PRIMARY_INACTIVE, INACTIVE);

    /**
     * Why a device was logged out, from the close: the relay's word when it is one of
     * {@link #LOGOUTS}, otherwise what the code implies.
     */
    public static String logout(int code, String reason) {
      if (reason != null && LOGOUTS.contains(reason)) {
        return reason;
      }
      return code == Close.NUMBER_REREGISTERED ? REREGISTERED : REMOVED;
    }
  }

  /** The {@code type} of the JSON text frames on the delivery socket. */
  public static final class Event {
    private Event() {}

    /** Device to relay: {@code {"type":"ack","seq":N}}, the only frame a device sends. */
    public static final String ACK = "ack";
    /** Every queued envelope was sent. */
    public static final String QUEUE_EMPTY = "queue-empty";
    /** The relay holds few one-time prekeys of this device: {@code count}. */
    public static final String PREKEYS_LOW = "prekeys-low";
    /** The account's device list changed. */
    public static final String DEVICES_CHANGED = "devices-changed";
    /** A companion was linked: {@code deviceId}, {@code cert}. */
    public static final String DEVICE_LINKED = "device-linked";
    /** To the primary: a companion asks to be linked by code. */
    public static final String PAIRING_REQUEST = "pairing-request";
    public static final String PAIRING_WRONG_CODE = "pairing-wrong-code";
    public static final String PAIRING_CONFIRM = "pairing-confirm";
    /** A pairing ended before it completed: {@code reason}. */
    public static final String PAIRING_ENDED = "pairing-ended";
    /** The relay refused a frame: {@code error}, {@code message}. */
    public static final String ERROR = "error";

    /** Events a primary's code linking listens to. */
    public static final List<String> PAIRING = List.of(PAIRING_REQUEST, PAIRING_WRONG_CODE, PAIRING_CONFIRM,
        PAIRING_ENDED);
  }

  /** The {@code type} of the JSON frames on the provisioning socket. */
  public static final class ProvisioningFrame {
    private ProvisioningFrame() {}

    /** Relay to companion: the one-time address to show in the QR code. */
    public static final String ADDRESS = "address";
    /** Companion to relay: a new address, please. */
    public static final String ROTATE = "rotate";
    /** Relay to companion: the primary's sealed provisioning message. */
    public static final String PROVISION = "provision";
    /** Companion to relay: a pairing request by number and code hello. */
    public static final String PAIR = "pair";
    /** Relay to companion: the pairing request was recorded. */
    public static final String PAIRING = "pairing";
    /** Relay to companion: the primary's reply to the code hello. */
    public static final String REPLY = "reply";
    /** Companion to relay: the reply did not open (the code typed on the primary was wrong). */
    public static final String WRONG_CODE = "wrong-code";
    /** Companion to relay: the confirmation for the primary. */
    public static final String CONFIRM = "confirm";
    /** Relay to companion: the pairing ended ({@code reason}). */
    public static final String PAIRING_ENDED = Event.PAIRING_ENDED;
    public static final String ERROR = Event.ERROR;
  }

  /**
   * How a client connects again after a connection was lost: from {@link #FIRST} doubling to
   * {@link #LAST}, each wait shortened by up to {@link #JITTER} of itself at random, so that the
   * devices a stopping node dropped do not all come back at the same moment.
   */
  /**
   * How a connection that went quiet is told from one that died (a NAT that forgot it, a network
   * that changed, a machine that lost power): the relay pings every open socket every
   * {@link #PING_INTERVAL} (a ping and its pong keep home routers' mappings, which last a few
   * minutes, alive), and either side takes a socket that has brought nothing for {@link #IDLE_TIMEOUT},
   * three pings, as lost.
   */
  public static final class Keepalive {
    private Keepalive() {}

    public static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    public static final Duration IDLE_TIMEOUT = PING_INTERVAL.multipliedBy(3);
  }

  public static final class Reconnect {
    private Reconnect() {}

    public static final Duration FIRST = Duration.ofMillis(500);
    public static final Duration LAST = Duration.ofSeconds(30);
    public static final double JITTER = 0.2;

    /** The wait before the {@code attempt}-th try (from 0), for {@code random} in [0, 1). */
    public static Duration delay(int attempt, double random) {
      double base = Math.min(LAST.toMillis(), FIRST.toMillis() * Math.pow(2, Math.min(Math.max(attempt, 0), 16)));
      return Duration.ofMillis(Math.round(base * (1 - JITTER * random)));
    }
  }

}
