package org.quintet.client;

/**
 * The relay sent a registration code: how long it is valid, and where it went ({@code log}, the
 * relay's log, for its operator; {@code webhook}, the operator's SMS gateway; null from a relay that
 * does not say).
 */
public record CodeRequested(int expiresInSeconds, String sentBy) {}
