package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Completes registration with the code the relay sent.")
final class VerifyCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(paramLabel = "CODE", description = "the 6-digit code")
  String code;

  @Option(names = "--name", paramLabel = "NAME", description = "what the account's device list calls this device")
  String name = "Quintet CLI";

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      OpenDevice.await(device.client.verify(code.trim(), name, "cli"));
      spec.commandLine().getOut().printf("Registered %s; this device is its primary (device 1).%n",
          device.client.store().number());
      return ExitCodes.OK;
    }
  }
}
