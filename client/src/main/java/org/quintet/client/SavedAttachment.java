package org.quintet.client;

import java.nio.file.Path;

/**
 * A file a message carried, downloaded and checked against its SHA-256 ({@code sha256}, hex): where
 * it is, how large, its media type and the name its sender gave it (null for none).
 */
public record SavedAttachment(String messageId, Path path, long size, String sha256, String contentType,
    String fileName) {}
