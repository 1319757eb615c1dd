package org.quintet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rename-device", mixinStandardHelpOptions = true,
    description = {
    "Renames this device: the name every device of the account lists for it (see devices).",
    "On the primary, --device ID renames another device of the account."})
final class RenameDeviceCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(paramLabel = "NAME",
      description = "the new name: 1 to 64 printable characters (quote it if it has spaces)")
  String name;

  @Option(names = "--device", paramLabel = "ID",
      description = "the device to rename, as devices shows it (default: this device);"
          + " another device only on the primary")
  Long deviceId;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (deviceId != null && (deviceId < 1 || deviceId > 0xFFFF_FFFFL)) {
      throw new IllegalArgumentException("a device id is 1 or more, as devices shows it");
    }
    try (OpenDevice device = OpenDevice.open(home)) {
      String renamed = OpenDevice.await(deviceId == null ? device.client.renameDevice(name)
          : device.client.renameDevice(deviceId, name));
      spec.commandLine().getOut().printf("Renamed device %d to \"%s\".%n",
          deviceId == null ? device.client.store().deviceId() : deviceId, renamed);
      return ExitCodes.OK;
    }
  }
}
