package org.quintet.relay.storage;

import java.util.List;

/**
 * Public prekeys as a device uploads them: a signed prekey record (100 bytes) and one-time prekey
 * records (36 bytes each), in the protocol's encodings. A null signed prekey leaves the stored one.
 */
public record PreKeys(byte[] signedPreKey, List<byte[]> oneTimePreKeys) {}
