package org.quintet.relay.linking;

/** A companion's request to link by phone number and code, as every node sees it. */
public record PairingRequest(String id, String number, String hello, long expiresAt, String socketId) {}
