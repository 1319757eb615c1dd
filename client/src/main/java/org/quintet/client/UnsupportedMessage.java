package org.quintet.client;

/**
 * A message of a content type this client does not know, from a newer client: acknowledged like
 * any other and shown in its conversation ({@code peer}) as a message that needs a newer version.
 */
public record UnsupportedMessage(String id, String from, long fromDevice, long serverTimestamp, String type,
    String peer, boolean outgoing) {
  /** What a person is shown in its place. */
  public static final String NOTICE = "this message needs a newer version of Quintet";
}
