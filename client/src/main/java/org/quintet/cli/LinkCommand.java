package org.quintet.cli;

import io.vertx.core.Promise;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.quintet.client.ConnectionClosed;
import org.quintet.client.HistoryProgress;
import org.quintet.client.LinkedAccount;
import org.quintet.client.LinkingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "link", mixinStandardHelpOptions = true,
    description = {
    "Links this device to an account as a companion.",
    "Without --number: shows a QR code (and its quintet://link? URI) for the primary to scan, a new one every 30 s.",
    "With --number: shows a code XXXX-XXXX to type on the primary of NUMBER.",
    "Then waits for the history the primary sends, printing its progress."})
final class LinkCommand implements Callable<Integer> {
  /** How long to wait for the history once linked; whatever comes later, receive shows. */
  static final int HISTORY_WAIT_SECONDS = 30;

  @Mixin
  HomeOptions home;

  @Option(names = "--number", paramLabel = "NUMBER", description = "link by code to the account of NUMBER (E.164)")
  String number;

  @Option(names = "--name", paramLabel = "NAME", description = "what the account's device list calls this device")
  String name = "Quintet CLI";

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "give up when not linked within this many seconds (default: ${DEFAULT-VALUE})")
  int timeout = 300;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (timeout <= 0) {
      throw new IllegalArgumentException("--timeout is a number of seconds, more than 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (OpenDevice device = OpenDevice.open(home)) {
      MessagePrinter printer = new MessagePrinter(out, spec.commandLine().getErr(), false, device.client.store());
      Linking listener = new Linking(printer, out);
      LinkedAccount linked;
      try {
        linked = OpenDevice.await(number == null
            ? device.client.linkAsCompanion(name, "cli", listener)
            : device.client.linkAsCompanionWithCode(number, name, "cli", listener), Duration.ofSeconds(timeout));
      } catch (TimeoutException e) {
        throw new LinkingException(LinkingException.Reason.TIMED_OUT, "not linked within " + timeout
            + " s; run link again to show a new " + (number == null ? "QR code" : "code"));
      }
      out.printf("Linked: this device is device %d of %s.%n", linked.deviceId(), linked.number());
      out.flush();
      try {
        OpenDevice.await(listener.history.future(), Duration.ofSeconds(HISTORY_WAIT_SECONDS));
      } catch (TimeoutException e) {
        out.println("The history has not come (yet); quintet receive shows it when it does.");
      }
      OpenDevice.await(device.client.stopReceiving());
      return ExitCodes.OK;
    }
  }

  /** Shows the QR code or the code, then prints what arrives; knows when the history is complete. */
  private static final class Linking extends PrintingListener {
    final Promise<Void> history = Promise.promise();
    private final PrintWriter out;

    Linking(MessagePrinter printer, PrintWriter out) {
      super(printer);
      this.out = out;
    }

    @Override
    public void onLinkUri(String uri) {
      synchronized (out) {
        out.println();
        out.print(QrText.render(uri));
        out.println("Scan this with the primary, or run there: quintet link-device URI (a new one comes every 30 s)");
        out.println(uri);
        out.flush();
      }
    }

    @Override
    public void onLinkCode(String code) {
      synchronized (out) {
        out.println("Type this code on the primary (quintet link-device --code " + code + "):");
        out.println(code);
        out.flush();
      }
    }

    @Override
    public void onWrongCode() {
      printer.warning("the primary typed another code; check it there and type it again");
    }

    @Override
    public void onHistory(HistoryProgress progress) {
      super.onHistory(progress);
      if (progress.complete()) {
        history.tryComplete();
      }
    }

    @Override
    public void onClosed(ConnectionClosed closed) {
      super.onClosed(closed);
      history.tryComplete();
    }
  }
}
