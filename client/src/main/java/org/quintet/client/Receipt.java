package org.quintet.client;

/** The relay's word that a device of {@code from} acknowledged the message {@code id} (hex). */
public record Receipt(String id, String from, long fromDevice, long serverTimestamp) {}
