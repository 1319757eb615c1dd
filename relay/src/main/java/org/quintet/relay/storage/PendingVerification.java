package org.quintet.relay.storage;

/**
 * A registration waiting for its code. Only a salted hash of the code is stored; the relay counts
 * wrong attempts and forgets the request when it expires.
 */
public record PendingVerification(String number, byte[] codeHash, byte[] salt, long expiresAt, int failedAttempts,
    long lastSentAt) {}
