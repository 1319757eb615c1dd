package org.quintet.relay.storage;

/**
 * One number's account. {@code accountKey} is the primary's Ed25519 key; {@code deviceList} the
 * latest list the primary signed (docs/protocol.md section 6), stored exactly as signed.
 * {@code nextDeviceId} is the id the next companion gets; it never goes down, not even when the
 * number is registered again, so a companion id is never reused for a number.
 */
public record Account(
    String number, byte[] accountKey, byte[] deviceList, long deviceListVersion, long nextDeviceId,
    long registeredAt) {}
