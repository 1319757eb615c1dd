package org.quintet.cli;

import java.util.concurrent.Callable;
import org.quintet.client.SavedAttachment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "download", mixinStandardHelpOptions = true,
    description = {"Downloads the file the message MESSAGE_ID carries into HOME/attachments/MESSAGE_ID/,",
        "checks it against the SHA-256 its message gave, and prints where it is. A file saved before",
        "is printed at once; a download that broke off goes on where it stopped."})
final class DownloadCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "MESSAGE_ID", description = "the message's id (receive prints it)")
  String messageId;

  @Option(names = "--json", description = "print {\"id\", \"path\", \"size\", \"sha256\", \"contentType\", \"fileName\"}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      ProgressLines progress = new ProgressLines(spec.commandLine().getErr(), "downloading " + messageId);
      SavedAttachment saved = OpenDevice.await(device.client.downloadAttachment(messageId, progress));
      MessagePrinter.savedLine(spec.commandLine().getOut(), saved, json);
      return ExitCodes.OK;
    }
  }
}
