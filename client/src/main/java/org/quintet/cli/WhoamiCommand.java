package org.quintet.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.quintet.client.LocalStore;
import org.quintet.client.LogoutReason;
import org.quintet.client.NotRegisteredException;
import org.quintet.protocol.KeySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "whoami", mixinStandardHelpOptions = true,
    description = "Shows which number and device this home is. Works offline.")
final class WhoamiCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // Offline, so without a client; but a home this process holds is read through its device.
    Optional<OpenDevice> held = OpenDevice.held(home.home);
    if (held.isPresent()) {
      return show(held.get().client.store());
    }
    try (LocalStore store = LocalStore.open(home.home, KeySource.secure())) {
      return show(store);
    }
  }

  private int show(LocalStore store) {
    switch (store.status()) {
      case REGISTERED -> {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s, device %d (%s)%n", store.number(), store.deviceId(),
            store.isPrimary() ? "primary" : "companion");
        out.printf("relay: %s%n", store.relayUrl());
        return ExitCodes.OK;
      }
      case LOGGED_OUT -> throw new NotRegisteredException(store.number() + " was logged out ("
          + store.statusReason() + "): " + LogoutReason.describe(store.statusReason()));
      case CODE_REQUESTED -> throw new NotRegisteredException(
          "a code was requested for " + store.number() + "; run: "
              + Launcher.command("verify", "CODE", "--home", home.home.toString()));
      case LINKING -> throw new NotRegisteredException("this device is being linked; linking has not completed");
      default -> throw new NotRegisteredException("not registered; run: "
          + Launcher.command("register", "NUMBER", "--home", home.home.toString()));
    }
  }
}
