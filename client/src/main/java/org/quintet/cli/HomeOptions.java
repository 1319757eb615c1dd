package org.quintet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every verb takes: which device (its home directory) and which relay. */
final class HomeOptions {
  @Option(names = "--home", paramLabel = "DIR", description = "the device's home directory (default: ~/.quintet)")
  Path home = Path.of(System.getProperty("user.home"), ".quintet");

  @Option(names = "--relay", paramLabel = "URL",
      description = "the relay (default: the one the home remembers, else http://localhost:8080)")
  String relay;
}
