package org.quintet.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the user started this command line, so that a hint can show the exact command to run next. */
final class Launcher {
  /** The launcher script passes the name it was run by ({@code ./quintet}); run otherwise, {@code quintet}. */
  static final String NAME = System.getProperty("quintet.launcher", "quintet");

  private Launcher() {}

  /** A command line to copy: the launcher, then the words, each quoted for a POSIX shell where needed. */
  static String command(String... words) {
    return NAME + " " + Arrays.stream(words).map(Launcher::quoted).collect(Collectors.joining(" "));
  }

  private static String quoted(String word) {
    return word.matches("[A-Za-z0-9_./:+=@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
