package org.quintet.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.quintet.client.LinkOptions;
import org.quintet.client.LinkUri;
import org.quintet.client.LinkedDevice;
import org.quintet.protocol.LinkCode;
import org.quintet.protocol.ProtocolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "link-device", mixinStandardHelpOptions = true,
    description = {
    "On the primary: links a companion, by the URI its QR code shows, or by the code it shows (--code).",
    "Waits until the companion is linked and signed into the device list, then sends it the recent history."})
final class LinkDeviceCommand implements Callable<Integer> {
  @Mixin
  HomeOptions home;

  @Parameters(paramLabel = "URI", arity = "0..1", description = "the quintet://link?... URI of the companion's QR code")
  String uri;

  @Option(names = "--code", paramLabel = "XXXX-XXXX", description = "the code the companion shows")
  String code;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "give up when the companion has not linked within this many seconds (default: ${DEFAULT-VALUE})")
  int timeout = 120;

  @Option(names = "--history-days", paramLabel = "DAYS",
      description = "send the texts of the last DAYS days (default: ${DEFAULT-VALUE}; 0: none)")
  int historyDays = LinkOptions.DEFAULT.historyDays();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if ((uri == null) == (code == null)) {
      throw new IllegalArgumentException("give the companion's URI or --code XXXX-XXXX (one of them)");
    }
    LinkOptions options = new LinkOptions(Duration.ofSeconds(timeout), historyDays);
    // Read before anything connects: a URI that is not a link, or a code that is not one, changes nothing.
    LinkUri link = uri == null ? null : LinkUri.parse(uri.trim());
    if (code != null) {
      try {
        LinkCode.normalise(code);
      } catch (ProtocolException e) {
        throw new IllegalArgumentException("a linking code is 8 letters and digits, shown as XXXX-XXXX");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (OpenDevice device = OpenDevice.open(home)) {
      // The relay's linking events come over the delivery connection; what else comes meanwhile is shown.
      OpenDevice.await(device.client.receive(new PrintingListener(
          new MessagePrinter(out, spec.commandLine().getErr(), false, device.client.store()))));
      if (link != null) {
        say(out, "Linking \"" + link.name() + "\"; waiting up to " + timeout + " s for it...");
      } else {
        say(out, "Answering the linking request with code " + code.trim() + "; waiting up to " + timeout + " s...");
      }
      LinkedDevice linked = OpenDevice.await(link != null ? device.client.linkDevice(uri.trim(), options)
          : device.client.linkDeviceWithCode(code, options));
      say(out, "Linked device " + linked.deviceId() + " (" + linked.name() + "); the device list is at version "
          + linked.listVersion() + ".");
      say(out, "Sent " + linked.historyTexts() + " text" + (linked.historyTexts() == 1 ? "" : "s")
          + " of history in " + linked.historyParts() + " part" + (linked.historyParts() == 1 ? "" : "s") + ".");
      OpenDevice.await(device.client.stopReceiving());
      return ExitCodes.OK;
    }
  }

  private static void say(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
