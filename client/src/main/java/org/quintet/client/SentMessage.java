package org.quintet.client;

/** A text the relay accepted: {@code devices} copies, one per device of both accounts but this one. */
public record SentMessage(String id, String to, long timestamp, long serverTimestamp, int devices) {}
