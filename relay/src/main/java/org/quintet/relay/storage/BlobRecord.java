package org.quintet.relay.storage;

/**
 * What the relay keeps about an attachment blob (docs/storage.md, "Blobs"); the bytes are the blob
 * store's. {@code number} and {@code deviceId}: the account and device that upload it; {@code length}:
 * its size as announced when it was created; {@code offset}: how many of its bytes have come;
 * {@code expiresAt}: when the sweep deletes it (an upload left unfinished goes sooner than a
 * complete blob, which lives as long as a queued envelope).
 */
public record BlobRecord(String id, String number, long deviceId, long length, long offset, long createdAt,
    long expiresAt) {

  public boolean complete() {
    return offset == length;
  }
}
