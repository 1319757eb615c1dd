package org.quintet.client;

/** How far an attachment's upload or download is: {@code done} of {@code total} bytes of its blob. */
@FunctionalInterface
public interface TransferProgress {
  TransferProgress NONE = (done, total) -> {};

  void onProgress(long done, long total);
}
