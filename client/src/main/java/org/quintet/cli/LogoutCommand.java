package org.quintet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.quintet.client.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "logout", mixinStandardHelpOptions = true,
    description = {
    "On a linked device: logs it out of its account and deletes what it held here (keys, history).",
    "Asks first, unless --yes."})
final class LogoutCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Option(names = "--yes", description = "do not ask for confirmation")
  boolean yes;

  @ParentCommand
  QuintetCli cli;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (OpenDevice device = OpenDevice.open(home)) {
      LocalStore store = device.client.store();
      // Only a question whose yes can succeed is asked; the client refuses the rest with its reason.
      boolean canLogOut = store.status() == LocalStore.Status.LOGGED_OUT
          || store.status() == LocalStore.Status.REGISTERED && !store.isPrimary();
      if (canLogOut && !yes && !confirmed(out, store.number())) {
        out.println("Not logged out.");
        return ExitCodes.USAGE;
      }
      OpenDevice.await(device.client.logout());
      out.println("Logged out; this device's keys and history are deleted.");
      return ExitCodes.OK;
    }
  }

  private boolean confirmed(PrintWriter out, String number) throws IOException {
    out.print("Log this device out of " + number + " and delete its keys and history here? [y/N] ");
    out.flush();
    String answer = cli.in.readLine();
    return answer != null && (answer.trim().toLowerCase(Locale.ROOT).equals("y")
        || answer.trim().toLowerCase(Locale.ROOT).equals("yes"));
  }
}
