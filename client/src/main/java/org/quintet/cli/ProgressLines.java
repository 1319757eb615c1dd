package org.quintet.cli;

import java.io.PrintWriter;
import org.quintet.client.TransferProgress;

/**
 * A transfer's progress on the error stream, for a person watching a large file go: one line at
 * each tenth of the way ("uploading photo.jpg: 40% of 12.3 MB"); nothing for a file under a MB,
 * which takes no time worth watching.
 */
final class ProgressLines implements TransferProgress {
  private static final long WORTH_WATCHING = 1 << 20;
  private final PrintWriter err;
  private final String what;
  private int shownTenths = -1;

  ProgressLines(PrintWriter err, String what) {
    this.err = err;
    this.what = what;
  }

  @Override
  public void onProgress(long done, long total) {
    if (total < WORTH_WATCHING) {
      return;
    }
    int tenths = (int) (done * 10 / total);
    if (tenths > shownTenths) {
      shownTenths = tenths;
      err.printf("%s: %d%% of %.1f MB%n", what, tenths * 10, total / 1e6);
      err.flush();
    }
  }
}
