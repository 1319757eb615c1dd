package org.quintet.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Deletes your message MESSAGE_ID of the chat with NUMBER for everyone: every device of the chat",
        "drops its text (within 2 days of sending it; exit code 9 after). Prints the id of the deletion.",
        "With --for-me, deletes any message of the chat from this device and your other devices only."})
final class DeleteCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the other account of the chat, in E.164 form")
  String number;

  @Parameters(index = "1", paramLabel = "MESSAGE_ID", description = "the message (32 hex digits)")
  String messageId;

  @Option(names = "--for-me", description = "delete it from your own devices only")
  boolean forMe;

  @Option(names = "--json", description = "print the deletion's {\"id\", ...}, or with --for-me {\"deleted\": N}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      PrintWriter out = spec.commandLine().getOut();
      if (!forMe) {
        SentOutput.print(out, OpenDevice.await(device.client.deleteForEveryone(number, messageId)), json);
        return ExitCodes.OK;
      }
      int deleted = OpenDevice.await(device.client.deleteForMe(number, List.of(messageId)));
      out.println(json ? new JsonObject().put("deleted", deleted).encode()
          : "Deleted " + deleted + (deleted == 1 ? " message" : " messages") + " here and on your other devices.");
      out.flush();
      return ExitCodes.OK;
    }
  }
}
