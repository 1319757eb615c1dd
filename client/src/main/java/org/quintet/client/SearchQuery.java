package org.quintet.client;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A search of the texts as a person types it, turned into an FTS5 query: every word must be in a
 * text, each as typed or as the start of a longer word ("din" finds "dinner"). Nothing typed is
 * FTS5 syntax: each word goes to SQLite as a quoted string, in which the tokenizer splits it at
 * punctuation as it split the texts, so quotes, stars, AND, NEAR, minus signs and colons are text
 * like any other and never a syntax error.
 */
record SearchQuery(String match, int limit) {
  /**
   * What separates words here; FTS5 splits them further. Control characters are separators to the
   * tokenizer too, and a NUL would end an FTS5 string early.
   */
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\p{Cc}]+", Pattern.UNICODE_CHARACTER_CLASS);

  static SearchQuery of(String text, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a search answers at least 1 text, not " + limit);
    }
    List<String> words = text == null ? List.of()
        : SEPARATORS.splitAsStream(text).filter(word -> !word.isEmpty()).toList();
    if (words.isEmpty()) {
      throw new IllegalArgumentException("a search needs at least one word to look for");
    }
    return new SearchQuery(words.stream().map(SearchQuery::prefix).collect(Collectors.joining(" ")), limit);
  }

  /** The word as an FTS5 string (a quote in it doubled) whose last token may begin a longer one. */
  private static String prefix(String word) {
    return '"' + word.replace("\"", "\"\"") + "\"*";
  }
}
