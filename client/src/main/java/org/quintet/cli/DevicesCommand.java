package org.quintet.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.quintet.client.DeviceInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "devices", mixinStandardHelpOptions = true,
    description = {"Lists this account's devices (those its signed device list vouches for):",
    "id, name, platform, when linked, when last active."})
final class DevicesCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Option(names = "--json", description = "one JSON object instead of text")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      List<DeviceInfo> devices = OpenDevice.await(device.client.devices());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonArray array = new JsonArray();
        devices.forEach(d -> array.add(new JsonObject().put("deviceId", d.deviceId()).put("primary", d.isPrimary())
            .put("thisDevice", d.thisDevice()).put("name", d.name()).put("platform", d.platform())
            .put("createdAt", d.createdAt()).put("lastSeenAt", d.lastSeenAt())));
        out.println(new JsonObject().put("number", device.client.store().number()).put("devices", array).encode());
      } else {
        for (DeviceInfo d : devices) {
          out.printf("device %d%s%s  %s (%s)  linked %s  last active %s%n", d.deviceId(),
              d.isPrimary() ? " primary" : "", d.thisDevice() ? " (this device)" : "",
              d.name(), d.platform(), Times.format(d.createdAt()), Times.format(d.lastSeenAt()));
        }
      }
      return ExitCodes.OK;
    }
  }
}
