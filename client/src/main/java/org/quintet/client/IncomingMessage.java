package org.quintet.client;

/**
 * A text this device received and saved. {@code peer} is the other account of the conversation:
 * the sender, or, for a copy of a text one of this account's other devices sent
 * ({@code outgoing}), the account it was sent to. {@code timestamp} is the sender's time (inside
 * the encryption), {@code serverTimestamp} the relay's. {@code id} is the hex message id;
 * {@code quote}, on a reply, the message it answers (null otherwise). {@code attachment}: the file
 * the message carries (not downloaded yet; {@link QuintetClient#downloadAttachment}), its caption
 * the body ("" for none); null for a text.
 */
public record IncomingMessage(String id, String from, long fromDevice, long timestamp, long serverTimestamp,
    String body, String peer, boolean outgoing, Quote quote, AttachmentPointer attachment) {}
