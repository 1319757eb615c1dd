package org.quintet.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.quintet.client.SearchHit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Prints the texts this device holds, sent and received, that have every word",
        "of TEXT in them (a word in part finds the whole: din finds dinner), the best",
        "matches first, as receive prints a text; nothing found, nothing printed.",
        "Quotes, *, AND, - and the like are looked for as text (put -- before a TEXT",
        "that begins with -)."})
final class SearchCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "the words to look for")
  List<String> words;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "print at most N texts (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--json", description = "print JSON lines {\"type\": \"hit\", \"id\", \"peer\", \"from\","
      + " \"fromName\", \"timestamp\", \"outgoing\", \"body\"}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      device.requireRegistered(home);
      List<SearchHit> hits = OpenDevice.await(device.client.search(String.join(" ", words), limit));
      PrintWriter out = spec.commandLine().getOut();
      MessagePrinter printer = new MessagePrinter(out, spec.commandLine().getErr(), json, device.client.store());
      hits.forEach(printer::hit);
      return ExitCodes.OK;
    }
  }
}
