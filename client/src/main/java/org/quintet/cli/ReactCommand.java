package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "react", mixinStandardHelpOptions = true,
    description = {"Reacts to the message MESSAGE_ID of your chat with NUMBER with one EMOJI, in place of your",
        "earlier reaction to it; --remove takes your reaction back. Prints the id of the reaction."})
final class ReactCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the other account of the chat, in E.164 form")
  String number;

  @Parameters(index = "1", paramLabel = "MESSAGE_ID", description = "the message (32 hex digits)")
  String messageId;

  @Parameters(index = "2", paramLabel = "EMOJI", arity = "0..1", description = "one emoji, e.g. 👍 (quote it)")
  String emoji;

  @Option(names = "--remove", description = "take your reaction back")
  boolean remove;

  @Option(names = "--json", description = "print {\"id\", \"to\", \"devices\", \"timestamp\", \"serverTimestamp\"}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (remove == (emoji != null)) {
      throw new IllegalArgumentException("give one EMOJI, or --remove to take your reaction back");
    }
    String reaction = remove ? null : Emoji.requireOne(emoji);
    try (OpenDevice device = OpenDevice.open(home)) {
      SentOutput.print(spec.commandLine().getOut(), OpenDevice.await(remove
          ? device.client.removeReaction(number, messageId)
          : device.client.react(number, messageId, reaction)), json);
      return ExitCodes.OK;
    }
  }
}
