package org.quintet.relay.media;

/**
 * The bytes a download asks for: the {@code Range} header of RFC 9110 with one range of bytes
 * ({@code bytes=FROM-}, {@code bytes=FROM-TO} or {@code bytes=-SUFFIX}), or the whole blob when
 * there is none. A device resumes a download with one range; several in one request are not served.
 */
record ByteRange(long from, long length, boolean partial) {

  /**
   * The range of a blob of {@code size} bytes; null for a range no byte of the blob satisfies (a
   * 416), the whole blob for a header that is not one range of bytes (which RFC 9110 lets a
   * server ignore).
   */
  static ByteRange parse(String header, long size) {
    ByteRange whole = new ByteRange(0, size, false);
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return whole;
    }
    String spec = header.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0 || !spec.matches("[0-9]{0,18}-[0-9]{0,18}") || spec.length() == 1) {
      return whole;
    }
    String first = spec.substring(0, dash);
    String last = spec.substring(dash + 1);
    if (first.isEmpty()) {
      long suffix = Long.parseLong(last);
      return suffix == 0 ? null : new ByteRange(Math.max(0, size - suffix), Math.min(suffix, size), true);
    }
    long from = Long.parseLong(first);
    long to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
    if (from >= size || to < from) {
      return last.isEmpty() || Long.parseLong(last) >= from ? null : whole;
    }
    return new ByteRange(from, to - from + 1, true);
  }

  String contentRange(long size) {
    return "bytes " + from + "-" + (from + length - 1) + "/" + size;
  }
}
