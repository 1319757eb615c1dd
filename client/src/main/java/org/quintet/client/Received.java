package org.quintet.client;

/**
 * A content other than a text that this device received and took in (saved and acknowledged
 * before it is reported). {@code id} is its hex message id; {@code peer} the conversation it
 * belongs to: the sender's account, or, on a copy from another device of this account
 * ({@code outgoing}), the account the content names.
 */
public record Received<T extends WritableContent>(String id, String from, long fromDevice, long serverTimestamp,
    String peer, boolean outgoing, T content) {}
