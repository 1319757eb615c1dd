package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Sends TEXT to every device of NUMBER and to this account's other devices.",
        "Prints the new message's id (reply, react, edit and delete name a message by it)."})
final class SendCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the recipient, in E.164 form")
  String number;

  @Parameters(index = "1", paramLabel = "TEXT", description = "the text (quote it)")
  String text;

  @Option(names = "--json", description = "print {\"id\", \"to\", \"devices\", \"timestamp\", \"serverTimestamp\"}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      SentOutput.print(spec.commandLine().getOut(), OpenDevice.await(device.client.sendText(number, text)), json);
      return ExitCodes.OK;
    }
  }
}
