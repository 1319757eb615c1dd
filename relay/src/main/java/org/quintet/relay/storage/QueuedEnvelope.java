package org.quintet.relay.storage;

/** An envelope (docs/protocol.md section 9) on its way into one device's queue. */
public record QueuedEnvelope(String number, long deviceId, byte[] envelope, long expiresAt) {}
