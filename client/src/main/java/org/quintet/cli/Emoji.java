package org.quintet.cli;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;

/**
 * Whether a reaction a person typed is one emoji. Java 17 knows neither emoji nor their sequences
 * (joined families, skin tones, flags), so ICU's Unicode data says: one emoji is one of the
 * Unicode emoji sequences recommended for general interchange (RGI_Emoji).
 */
final class Emoji {
  /** The presentation selector that makes a character that is text by default (❤) an emoji (❤️). */
  private static final String EMOJI_PRESENTATION = "\uFE0F";

  private Emoji() {}

  /**
   * The emoji to send for what was typed: it as it is, or with the presentation selector a
   * terminal may have left off; {@link IllegalArgumentException} for anything but one emoji.
   */
  static String requireOne(String typed) {
    if (UCharacter.hasBinaryProperty(typed, UProperty.RGI_EMOJI)) {
      return typed;
    }
    if (UCharacter.hasBinaryProperty(typed + EMOJI_PRESENTATION, UProperty.RGI_EMOJI)) {
      return typed + EMOJI_PRESENTATION;
    }
    throw new IllegalArgumentException("a reaction is one emoji, e.g. 👍 or ❤️, not \"" + typed + "\"");
  }
}
