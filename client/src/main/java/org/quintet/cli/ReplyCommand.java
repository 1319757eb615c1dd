package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "reply", mixinStandardHelpOptions = true,
    description = {"Sends TEXT to NUMBER as an answer to the message MESSAGE_ID of your chat with NUMBER:",
        "it quotes the message's author and the start of its text. Prints the new message's id."})
final class ReplyCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the other account of the chat, in E.164 form")
  String number;

  @Parameters(index = "1", paramLabel = "MESSAGE_ID", description = "the message answered (32 hex digits)")
  String messageId;

  @Parameters(index = "2", paramLabel = "TEXT", description = "the text (quote it)")
  String text;

  @Option(names = "--json", description = "print {\"id\", \"to\", \"devices\", \"timestamp\", \"serverTimestamp\"}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      SentOutput.print(spec.commandLine().getOut(),
          OpenDevice.await(device.client.sendReply(number, messageId, text)), json);
      return ExitCodes.OK;
    }
  }
}
