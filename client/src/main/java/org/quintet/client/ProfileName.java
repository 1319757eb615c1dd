package org.quintet.client;

/** The name an account chose to show (docs/protocol.md, {@code profile}), as of {@code timestamp}. */
public record ProfileName(String name, long timestamp) {}
