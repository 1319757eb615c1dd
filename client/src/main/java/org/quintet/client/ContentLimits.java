package org.quintet.client;

import java.time.Duration;

/**
 * The bounds of the contents around a text (docs/protocol.md, "Contents"): the twin of
 * {@code ContentLimits} in static/js/client/content.js, both held to the {@code limits} of
 * protocol/vectors/contents.json.
 */
public final class ContentLimits {
  /** The quoted text a reply carries, in UTF-16 units. */
  public static final int MAX_QUOTE_CHARS = 200;
  /** One emoji, however many code points it joins, in UTF-16 units. */
  public static final int MAX_EMOJI_CHARS = 32;
  /** Message ids in one read receipt or delete for me. */
  public static final int MAX_TARGETS = 100;
  /** A profile name, in UTF-16 units. */
  public static final int MAX_PROFILE_NAME_CHARS = 64;
  /** An author edits a message this long after sending it. */
  public static final long EDIT_WINDOW_MS = Duration.ofMinutes(15).toMillis();
  /** And deletes it for everyone this long after. */
  public static final long DELETE_WINDOW_MS = Duration.ofDays(2).toMillis();
  /** An attachment's file name, in UTF-16 units. */
  public static final int MAX_FILE_NAME_CHARS = 255;
  /** An attachment's media type ({@code image/jpeg}). */
  public static final int MAX_CONTENT_TYPE_CHARS = 127;
  /** The thumbnail an attachment carries, shown before the file is downloaded: a few KB. */
  public static final int MAX_THUMBNAIL_BYTES = 4096;
  /** A photo's or video's width or height, in pixels. */
  public static final int MAX_DIMENSION = 65_535;
  /** A voice note's or video's duration: a day. */
  public static final long MAX_DURATION_MS = Duration.ofDays(1).toMillis();

  private ContentLimits() {}
}
