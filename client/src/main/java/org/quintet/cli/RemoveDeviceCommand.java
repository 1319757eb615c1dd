package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "remove-device", mixinStandardHelpOptions = true,
    description = {
    "On the primary: removes a linked device (see devices) from the account.",
    "The relay logs it out at once; the account's signed device list no longer holds it."})
final class RemoveDeviceCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(paramLabel = "ID", description = "the device id, as devices shows it")
  long deviceId;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (deviceId < 2 || deviceId > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("a linked device's id is 2 or more (device 1 is the primary)");
    }
    try (OpenDevice device = OpenDevice.open(home)) {
      long version = OpenDevice.await(device.client.removeDevice(deviceId));
      spec.commandLine().getOut().printf("Removed device %d; the device list (version %d) no longer holds it.%n",
          deviceId, version);
      return ExitCodes.OK;
    }
  }
}
