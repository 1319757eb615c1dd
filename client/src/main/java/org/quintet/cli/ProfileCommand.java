package org.quintet.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.quintet.client.ProfileName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "profile", mixinStandardHelpOptions = true,
    description = {"Shows the name your account shows to the people you talk to; with --name, sets it: your other",
        "devices and everyone you have a chat with get it, and anyone else before your first message."})
final class ProfileCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Option(names = "--name", paramLabel = "NAME", description = "1 to 64 characters, no line breaks")
  String name;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      PrintWriter out = spec.commandLine().getOut();
      device.requireRegistered(home);
      if (name != null) {
        OpenDevice.await(device.client.setProfileName(name));
      }
      String number = device.client.store().number();
      out.println(device.client.store().profile(number).map(ProfileName::name)
          .map(shown -> number + " shows the name \"" + shown + "\"")
          .orElse(number + " shows no name; set one with profile --name NAME"));
      out.flush();
      return ExitCodes.OK;
    }
  }
}
