package org.quintet.cli;

import java.util.concurrent.Callable;
import org.quintet.client.CodeRequested;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "register", mixinStandardHelpOptions = true,
    description = {"Asks the relay to send a registration code to NUMBER.",
    "Verifying it makes this device the number's primary and logs out every earlier device of the number."})
final class RegisterCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(paramLabel = "NUMBER", description = "the number in E.164 form, e.g. +8801711000001")
  String number;

  @Spec
  CommandSpec spec;

  private static String whereItWent(String sentBy) {
    if ("log".equals(sentBy)) {
      return "was written to the relay's log (its operator finds it there: \"verification code for\")";
    }
    if ("webhook".equals(sentBy)) {
      return "was sent by the relay's SMS gateway to that number";
    }
    return "was sent by the relay";
  }

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      CodeRequested sent = OpenDevice.await(device.client.register(number));
      spec.commandLine().getOut().printf("A code for %s %s; it is valid for %d minutes.%nThen run: %s%n", number,
          whereItWent(sent.sentBy()), Math.max(1, sent.expiresInSeconds() / 60),
          Launcher.command("verify", "CODE", "--home", home.home.toString()));
      return ExitCodes.OK;
    }
  }
}
