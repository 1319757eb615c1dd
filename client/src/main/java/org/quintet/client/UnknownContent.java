package org.quintet.client;

/**
 * A content of a type this client does not know, from a newer client: it is acknowledged like any
 * other, and shown as a message that needs a newer version, in the conversation {@code peer}
 * names (on the sender's own copies) or with its sender.
 */
public record UnknownContent(String type, String peer) implements Content {}
