package org.quintet.cli;

import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options every verb takes: which device (its home directory) and which relay. */
final class HomeOptions {
  /** The options every verb takes, which may also stand before the verb. */
  static final Set<String> NAMES = Set.of("--home", "--relay");

  @Option(names = "--home", paramLabel = "DIR",
      defaultValue = "${env:QUINTET_HOME:-${sys:user.home}${sys:file.separator}.quintet}",
      description = "the device's home directory (env QUINTET_HOME; default: ${DEFAULT-VALUE})")
  Path home;

  @Option(names = "--relay", paramLabel = "URL", defaultValue = "${env:QUINTET_RELAY}",
      description = "the relay (env QUINTET_RELAY; default: the one the home remembers, else http://localhost:8080)")
  String relay;
}
