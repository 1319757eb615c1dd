package org.quintet.bench.relay;

import io.vertx.core.buffer.Buffer;
import org.quintet.protocol.Delivery;

/**
 * Delivery frames ({@link Delivery.EnvelopeFrame}, docs/relay-api.md). The load generator reads
 * only fixed offsets of the envelope (kind, message id), so receiving costs it no parsing.
 */
final class Frames {
  private static final int ENVELOPE = Delivery.FRAME_HEADER;
  /** Envelope = version(1) kind(1) messageId(16) ... */
  private static final int KIND = ENVELOPE + 1;
  private static final int MESSAGE_ID = ENVELOPE + 2;

  private Frames() {}

  static Buffer envelope(long seq, byte[] envelope) {
    return Buffer.buffer(ENVELOPE + envelope.length).appendByte(Delivery.ENVELOPE_FRAME).appendLong(seq).appendBytes(envelope);
  }

  static boolean isEnvelope(Buffer frame) {
    return frame.length() > MESSAGE_ID + 8 && frame.getByte(0) == Delivery.ENVELOPE_FRAME;
  }

  static long seq(Buffer frame) {
    return frame.getLong(1);
  }

  static int kind(Buffer frame) {
    return frame.getByte(KIND);
  }

  /** The load generator's send time, which it writes into the first 8 bytes of each message id. */
  static long sentNanos(Buffer frame) {
    return frame.getLong(MESSAGE_ID);
  }

  /** The sender's relay node, which the load generator writes into byte 8 of each message id. */
  static int origin(Buffer frame) {
    return frame.getByte(MESSAGE_ID + 8);
  }
}
