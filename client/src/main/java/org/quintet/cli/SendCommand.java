package org.quintet.cli;

import java.util.concurrent.Callable;
import org.quintet.client.SentMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Sends TEXT to every device of NUMBER and to this account's other devices.")
final class SendCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the recipient, in E.164 form")
  String number;

  @Parameters(index = "1", paramLabel = "TEXT", description = "the text (quote it)")
  String text;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      SentMessage sent = OpenDevice.await(device.client.sendText(number, text));
      spec.commandLine().getOut().printf("Sent to %s (%d device%s), id %s%n", sent.to(), sent.devices(),
          sent.devices() == 1 ? "" : "s", sent.id());
      return ExitCodes.OK;
    }
  }
}
