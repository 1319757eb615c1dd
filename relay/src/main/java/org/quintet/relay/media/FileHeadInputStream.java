package org.quintet.relay.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The first bytes of a file as a stream: an upload's part file may hold more than is appended. */
final class FileHeadInputStream extends FilterInputStream {
  private long left;

  FileHeadInputStream(Path file, long length) throws IOException {
    super(Files.newInputStream(file));
    this.left = length;
  }

  @Override
  public int read() throws IOException {
    if (left == 0) {
      return -1;
    }
    int b = super.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (left == 0) {
      return -1;
    }
    int n = super.read(b, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(Math.min(n, left));
    left -= skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(super.available(), left);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
