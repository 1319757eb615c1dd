package org.quintet.cli;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import org.quintet.client.ConnectionClosed;
import org.quintet.client.IncomingMessage;
import org.quintet.client.MessageListener;
import org.quintet.client.Receipt;
import org.quintet.client.UnreadableMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "receive", description = {"Connects and prints each message as it arrives.",
    "Without --timeout it exits once the relay has delivered everything queued and nothing more came for "
        + ReceiveCommand.GRACE_SECONDS + " s."})
final class ReceiveCommand implements Callable<Integer> {
  static final int GRACE_SECONDS = 2;

  @Mixin
  HomeOptions home;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "receive for this long, then exit")
  Integer timeout;

  @Option(names = "--json", description = "one JSON object per line instead of text")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (timeout != null && timeout < 0) {
      throw new IllegalArgumentException("--timeout is a number of seconds, 0 or more");
    }
    MessagePrinter printer = new MessagePrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    try (OpenDevice device = OpenDevice.open(home)) {
      Promise<Integer> done = Promise.promise();
      Printing listener = new Printing(device.vertx, printer, done, timeout == null);
      if (timeout != null) {
        device.vertx.setTimer(Math.max(1, timeout * 1000L), id -> done.tryComplete(ExitCodes.OK));
      }
      OpenDevice.await(device.client.receive(listener));
      int code = OpenDevice.await(done.future());
      OpenDevice.await(device.client.stopReceiving());
      return code;
    }
  }

  /** Prints what arrives and decides when {@code receive} is done. Runs on the client's event loop. */
  private static final class Printing implements MessageListener {
    private final Vertx vertx;
    private final MessagePrinter printer;
    private final Promise<Integer> done;
    private final boolean endWhenDrained;
    /** The grace timer after {@code queue-empty}, or -1 while none runs. */
    private long graceTimer = -1;

    Printing(Vertx vertx, MessagePrinter printer, Promise<Integer> done, boolean endWhenDrained) {
      this.vertx = vertx;
      this.printer = printer;
      this.done = done;
      this.endWhenDrained = endWhenDrained;
    }

    @Override
    public void onMessage(IncomingMessage message) {
      printer.message(message);
      extendGrace();
    }

    @Override
    public void onReceipt(Receipt receipt) {
      printer.receipt(receipt);
      extendGrace();
    }

    @Override
    public void onUnreadable(UnreadableMessage message) {
      printer.unreadable(message);
      extendGrace();
    }

    @Override
    public void onQueueEmpty() {
      if (endWhenDrained) {
        startGrace();
      }
    }

    @Override
    public void onError(Throwable error) {
      printer.warning(Failures.describe(Failures.unwrap(error)));
    }

    @Override
    public void onClosed(ConnectionClosed closed) {
      printer.warning(closed.reason());
      done.tryComplete(closed.loggedOut() ? ExitCodes.NOT_REGISTERED : ExitCodes.UNREACHABLE);
    }

    private void extendGrace() {
      if (graceTimer >= 0) {
        startGrace();
      }
    }

    private void startGrace() {
      if (graceTimer >= 0) {
        vertx.cancelTimer(graceTimer);
      }
      graceTimer = vertx.setTimer(GRACE_SECONDS * 1000L, id -> done.tryComplete(ExitCodes.OK));
    }
  }
}
