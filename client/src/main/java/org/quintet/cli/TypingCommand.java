package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "typing", mixinStandardHelpOptions = true,
    description = {"Tells the devices of NUMBER that are online now that you are typing (--stop: that you stopped).",
        "Nothing waits on the relay for a device that is not connected."})
final class TypingCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the other account of the chat, in E.164 form")
  String number;

  @Option(names = "--stop", description = "you stopped typing")
  boolean stop;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      OpenDevice.await(device.client.typing(number, !stop));
      return ExitCodes.OK;
    }
  }
}
