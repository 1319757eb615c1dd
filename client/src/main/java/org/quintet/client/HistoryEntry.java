package org.quintet.client;

/**
 * One text of a conversation as this device saw it. {@code peer} is the other account of the
 * conversation; {@code outgoing} is true for texts the account sent (from this or another of its
 * devices). {@code id} is the hex message id.
 */
public record HistoryEntry(String id, String peer, boolean outgoing, String from, long fromDevice, long timestamp,
    String body) {}
