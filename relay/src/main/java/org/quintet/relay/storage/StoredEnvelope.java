package org.quintet.relay.storage;

/**
 * An envelope in a device's queue. {@code seq} orders the queue and names the envelope in an
 * acknowledgement; it only grows within a queue.
 */
public record StoredEnvelope(long seq, byte[] envelope, long expiresAt) {}
