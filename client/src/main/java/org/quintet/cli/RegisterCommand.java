package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "register", description = {"Asks the relay to send a registration code to NUMBER.",
    "Verifying it makes this device the number's primary and logs out every earlier device of the number."})
final class RegisterCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(paramLabel = "NUMBER", description = "the number in E.164 form, e.g. +8801711000001")
  String number;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      int seconds = OpenDevice.await(device.client.register(number));
      spec.commandLine().getOut().printf("A code was sent to %s; it is valid for %d minutes.%n"
          + "Then run: quintet verify CODE%n", number, Math.max(1, seconds / 60));
      return ExitCodes.OK;
    }
  }
}
