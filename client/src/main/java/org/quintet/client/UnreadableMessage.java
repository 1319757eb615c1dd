package org.quintet.client;

/**
 * A message that was received but could not be read (refused by the protocol or not verified
 * against the sender's device list); it was acknowledged, so it will not come again. Fields the
 * envelope did not yield are null or 0.
 */
public record UnreadableMessage(String id, String from, long fromDevice, String reason) {}
