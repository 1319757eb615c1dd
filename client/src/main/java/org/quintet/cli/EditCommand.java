package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "edit", mixinStandardHelpOptions = true,
    description = {"Gives your message MESSAGE_ID of the chat with NUMBER a new TEXT, on every device of the chat.",
        "Only within 15 minutes of sending it (exit code 9 after). Prints the id of the edit."})
final class EditCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the other account of the chat, in E.164 form")
  String number;

  @Parameters(index = "1", paramLabel = "MESSAGE_ID", description = "your message (32 hex digits)")
  String messageId;

  @Parameters(index = "2", paramLabel = "TEXT", description = "its new text (quote it)")
  String text;

  @Option(names = "--json", description = "print {\"id\", \"to\", \"devices\", \"timestamp\", \"serverTimestamp\"}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      SentOutput.print(spec.commandLine().getOut(), OpenDevice.await(device.client.edit(number, messageId, text)),
          json);
      return ExitCodes.OK;
    }
  }
}
