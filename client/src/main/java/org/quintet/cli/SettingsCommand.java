package org.quintet.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "settings", mixinStandardHelpOptions = true,
    description = {"Shows your account's settings; with an option, changes it on every device of your account.",
        "Read receipts off: you send none, and you see nobody's."})
final class SettingsCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Option(names = "--read-receipts", paramLabel = "on|off", description = "send read receipts and see others'")
  String readReceipts;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      device.requireRegistered(home);
      if (readReceipts != null) {
        if (!readReceipts.equals("on") && !readReceipts.equals("off")) {
          throw new IllegalArgumentException("--read-receipts is on or off, not " + readReceipts);
        }
        OpenDevice.await(device.client.setReadReceipts(readReceipts.equals("on")));
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("read receipts: " + (device.client.store().readReceipts() ? "on" : "off"));
      out.flush();
      return ExitCodes.OK;
    }
  }
}
