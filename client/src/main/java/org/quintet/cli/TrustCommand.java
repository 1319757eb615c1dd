package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "trust", mixinStandardHelpOptions = true,
    description = {
    "Forgets the account key and device list this device accepted for NUMBER.",
    "For a number that was registered on a new phone: check its safety number first;",
    "the next message to or from it trusts its new account key."})
final class TrustCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(paramLabel = "NUMBER", description = "the number in E.164 form")
  String number;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      OpenDevice.await(device.client.trust(number));
      spec.commandLine().getOut().printf("Forgot the keys of %s; the next contact trusts its current account key.%n",
          number);
      return ExitCodes.OK;
    }
  }
}
