package org.quintet.cli;

import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import org.quintet.client.ConnectionClosed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = {
    "Holds this home until stopped: receives and prints what arrives as JSON lines (as receive --json),",
    "and serves JSON-RPC 2.0 on HOME/daemon.sock (methods run {args}, send {number, text}, stop), through",
    "which every other quintet verb on this home runs meanwhile, without a JVM start of its own.",
    "Ends on stop (exit 0), or when the device is logged out or replaced (exit 4 or 3)."})
final class DaemonCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Promise<Integer> done = Promise.promise();
    try (OpenDevice device = OpenDevice.open(home);
        HomeServer server = HomeServer.start(home.home, device, spec.commandLine().getErr(),
            () -> done.tryComplete(ExitCodes.OK))) {
      MessagePrinter printer = new MessagePrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), true,
          device.client.store());
      PrintingListener listener = new PrintingListener(printer) {
        @Override
        public void onClosed(ConnectionClosed closed) {
          super.onClosed(closed);
          done.tryComplete(closed.loggedOut() ? ExitCodes.NOT_REGISTERED : ExitCodes.UNREACHABLE);
        }
      };
      OpenDevice.await(device.client.receive(listener));
      int code = OpenDevice.await(done.future());
      OpenDevice.await(device.client.stopReceiving());
      return code;
    }
  }
}
