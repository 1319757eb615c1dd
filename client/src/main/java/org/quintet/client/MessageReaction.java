package org.quintet.client;

/**
 * The reaction of the account {@code from} to a text: {@code emoji} at its time. An empty emoji is
 * a reaction taken back, kept so that an older one that arrives late does not come back.
 */
public record MessageReaction(String from, String emoji, long timestamp) {}
