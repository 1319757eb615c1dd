package org.quintet.cli;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import org.quintet.client.ConnectionClosed;
import org.quintet.client.IncomingMessage;
import org.quintet.client.QuintetClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "receive", mixinStandardHelpOptions = true,
    description = {
    "Connects and prints each message as it arrives, and what happens to the account's devices",
    "(linked, removed, this device logged out and why) and the history a primary sends after linking.",
    "Without --timeout it exits once the relay has delivered everything queued and nothing more came for "
        + ReceiveCommand.GRACE_SECONDS + " s.",
    "Files messages carry are downloaded into HOME/attachments/MESSAGE_ID/ and printed once saved.",
    "Meanwhile other verbs (send, devices, ...) run on the same home through it."})
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
    try (OpenDevice device = OpenDevice.open(home);
        HomeServer meanwhile = HomeServer.start(home.home, device, spec.commandLine().getErr(), null)) {
      MessagePrinter printer = new MessagePrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), json,
          device.client.store());
      Promise<Integer> done = Promise.promise();
      Printing listener = new Printing(device, printer, spec.commandLine().getErr(), done, timeout == null);
      if (timeout != null) {
        device.vertx.setTimer(Math.max(1, timeout * 1000L), id -> done.tryComplete(ExitCodes.OK));
      }
      OpenDevice.await(device.client.receive(listener));
      int code = OpenDevice.await(done.future());
      OpenDevice.await(device.client.stopReceiving());
      return code;
    }
  }

  /**
   * Prints what arrives, downloads the files messages carry (printing each once it is saved), and
   * decides when {@code receive} is done: not while a download is under way. Runs on the client's
   * event loop.
   */
  private static final class Printing extends PrintingListener {
    private final Vertx vertx;
    private final QuintetClient client;
    private final PrintWriter err;
    private final Promise<Integer> done;
    private final boolean endWhenDrained;
    /** The grace timer after {@code queue-empty}, or -1 while none runs. */
    private long graceTimer = -1;
    private int downloading;

    Printing(OpenDevice device, MessagePrinter printer, PrintWriter err, Promise<Integer> done, boolean endWhenDrained) {
      super(printer);
      this.vertx = device.vertx;
      this.client = device.client;
      this.err = err;
      this.done = done;
      this.endWhenDrained = endWhenDrained;
    }

    @Override
    public void onMessage(IncomingMessage message) {
      if (message.attachment() == null) {
        super.onMessage(message);
        return;
      }
      downloading++;
      String what = "downloading " + (message.attachment().fileName() != null ? message.attachment().fileName()
          : message.id());
      client.downloadAttachment(message.id(), new ProgressLines(err, what)).onComplete(saved -> {
        downloading--;
        printer.attachment(message, saved.result(), saved.failed() ? Failures.describe(saved.cause()) : null);
        activity();
      });
    }

    @Override
    void activity() {
      if (graceTimer >= 0) {
        startGrace();
      }
    }

    @Override
    public void onQueueEmpty() {
      if (endWhenDrained) {
        startGrace();
      }
    }

    @Override
    public void onClosed(ConnectionClosed closed) {
      super.onClosed(closed);
      done.tryComplete(closed.loggedOut() ? ExitCodes.NOT_REGISTERED : ExitCodes.UNREACHABLE);
    }

    /** Receiving until the queue is drained ends when the connection is lost; with --timeout it goes on. */
    @Override
    public void onReconnecting(ConnectionClosed closed, long delayMillis) {
      if (endWhenDrained) {
        printer.closed(closed);
        done.tryComplete(ExitCodes.UNREACHABLE);
      } else {
        super.onReconnecting(closed, delayMillis);
      }
    }

    private void startGrace() {
      if (graceTimer >= 0) {
        vertx.cancelTimer(graceTimer);
      }
      graceTimer = vertx.setTimer(GRACE_SECONDS * 1000L, id -> {
        if (downloading > 0) {
          startGrace(); // done once the files under way are saved
        } else {
          done.tryComplete(ExitCodes.OK);
        }
      });
    }
  }
}
