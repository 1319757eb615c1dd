package org.quintet.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "read", mixinStandardHelpOptions = true,
    description = {"Marks your chat with NUMBER read: NUMBER gets a read receipt for the messages you had not read",
        "(unless read receipts are off, see settings), and your other devices mark them read too."})
final class ReadCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the other account of the chat, in E.164 form")
  String number;

  @Option(names = "--json", description = "print {\"read\": N}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      int read = OpenDevice.await(device.client.markRead(number));
      PrintWriter out = spec.commandLine().getOut();
      out.println(json ? new JsonObject().put("read", read).encode()
          : read + (read == 1 ? " message" : " messages") + " marked read.");
      out.flush();
      return ExitCodes.OK;
    }
  }
}
