package org.quintet.client;

/**
 * A text that a search found, as this device holds it: its id (hex), the conversation's other
 * account ({@code peer}), the account that wrote it and from which device, its time (ms, the
 * author's clock), whether this account sent it, and its latest text.
 */
public record SearchHit(String id, String peer, String from, long fromDevice, long timestamp, boolean outgoing,
    String body) {}
