package org.quintet.client;

import java.util.Arrays;

/**
 * The relay's word that a device of {@code from} acknowledged the message {@code id} (hex);
 * {@code text} is that message's text as this device keeps it, or null when it keeps none.
 */
public record Receipt(String id, String from, long fromDevice, long serverTimestamp, String text) {
  private static final int EXCERPT_WORDS = 6;

  /** The first words of the text, to name the message to a person; the id when the text is unknown. */
  public String excerpt() {
    return excerpt(id, text);
  }

  /** The first words of {@code text} in quotes, to name the message {@code id} to a person; the id when the text is null. */
  public static String excerpt(String id, String text) {
    if (text == null) {
      return id;
    }
    String[] words = text.strip().split("\\s+", EXCERPT_WORDS + 1);
    String first = String.join(" ", Arrays.asList(words).subList(0, Math.min(words.length, EXCERPT_WORDS)));
    return "\"" + first + (words.length > EXCERPT_WORDS ? " ...\"" : "\"");
  }
}
