package org.quintet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "send-file", mixinStandardHelpOptions = true,
    description = {"Sends the file PATH to every device of NUMBER and to this account's other devices:",
        "encrypted on this device, uploaded to the relay, and pointed to by a message that carries its key.",
        "A photo gets its size in pixels and a thumbnail. Prints the new message's id."})
final class SendFileCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(index = "0", paramLabel = "NUMBER", description = "the recipient, in E.164 form")
  String number;

  @Parameters(index = "1", paramLabel = "PATH", description = "the file")
  Path file;

  @Option(names = "--caption", paramLabel = "TEXT", description = "a text shown with the file")
  String caption;

  @Option(names = "--json", description = "print {\"id\", \"to\", \"devices\", \"timestamp\", \"serverTimestamp\"}")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (OpenDevice device = OpenDevice.open(home)) {
      ProgressLines progress = new ProgressLines(spec.commandLine().getErr(), "uploading " + file.getFileName());
      SentOutput.print(spec.commandLine().getOut(),
          OpenDevice.await(device.client.sendFile(number, file.toAbsolutePath(), caption, progress)), json);
      return ExitCodes.OK;
    }
  }
}
