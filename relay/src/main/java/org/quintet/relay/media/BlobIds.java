package org.quintet.relay.media;

import java.util.regex.Pattern;

/**
 * What a blob id may be, for every store: the id names a file or an object key, so nothing in it
 * may reach outside the blob's own name (no separator, no dot).
 */
final class BlobIds {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

  private BlobIds() {}

  /** The id, if it is one. */
  static String checked(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not a blob id");
    }
    return id;
  }
}
