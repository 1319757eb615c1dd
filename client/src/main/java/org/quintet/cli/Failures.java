package org.quintet.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.quintet.client.ChangeRefusedException;
import org.quintet.client.LinkingException;
import org.quintet.client.NotRegisteredException;
import org.quintet.client.QueueFullException;
import org.quintet.client.RelayCertificateException;
import org.quintet.client.RelayException;
import org.quintet.client.RelayUnreachableException;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Turns what a verb threw into one clear line and an exit code. Expected failures never show a
 * stack trace; only a fault of the program does.
 */
final class Failures implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception exception, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    Throwable error = unwrap(exception);
    int code = exitCode(error);
    if (code == ExitCodes.INTERNAL) {
      err.println("quintet: internal error: " + error);
      error.printStackTrace(err);
    } else if (code == ExitCodes.NOT_REGISTERED || code == ExitCodes.LOCAL_STATE) {
      // Which home: run without --home, the default one may not be the one the user meant.
      err.println("quintet: " + describe(error) + homeOf(command));
    } else {
      err.println("quintet: " + describe(error));
    }
    err.flush();
    return code;
  }

  private static String homeOf(CommandLine command) {
    OptionSpec home = command.getCommandSpec().findOption("--home");
    return home == null || home.getValue() == null ? "" : " (home: " + home.getValue() + ")";
  }

  static Throwable unwrap(Throwable error) {
    while (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  static int exitCode(Throwable error) {
    if (error instanceof IllegalArgumentException || error instanceof IllegalStateException) {
      return ExitCodes.USAGE;
    }
    if (error instanceof QueueFullException) {
      return ExitCodes.QUEUE_FULL;
    }
    if (error instanceof ChangeRefusedException) {
      return ExitCodes.MESSAGE_REFUSED;
    }
    if (error instanceof RelayException) {
      return ExitCodes.RELAY_REFUSED;
    }
    if (error instanceof LinkingException) {
      return ExitCodes.LINK_FAILED;
    }
    if (error instanceof RelayUnreachableException || error instanceof RelayCertificateException) {
      return ExitCodes.UNREACHABLE;
    }
    if (error instanceof NotRegisteredException) {
      return ExitCodes.NOT_REGISTERED;
    }
    if (error instanceof ProtocolException) {
      return ExitCodes.UNTRUSTED;
    }
    if (error instanceof IOException || error instanceof UncheckedIOException) {
      return ExitCodes.LOCAL_STATE;
    }
    return ExitCodes.INTERNAL;
  }

  static String describe(Throwable error) {
    if (error instanceof QueueFullException full) {
      return queueFull(full);
    }
    if (error instanceof RelayException refused) {
      return "the relay refused: " + refused.getMessage() + hints(refused.details());
    }
    if (error instanceof ProtocolException refused) {
      String hint = refused.error() == ProtocolError.ACCOUNT_MISMATCH
          ? "; if the number was registered on a new phone, compare safety numbers, then run: quintet trust NUMBER"
          : "";
      return "refused by the end-to-end check: " + refused.getMessage() + hint;
    }
    if (error instanceof RelayCertificateException untrusted) {
      return untrusted.getMessage() + ".\nIf this is your own relay, compare the fingerprint with the one it printed when it"
          + " started; if they are the same, run the command again with --relay-fingerprint " + untrusted.publicKeyPin()
          + " (this home then remembers it).";
    }
    if (error instanceof LinkingException refused && refused.reason() == LinkingException.Reason.TOO_MANY_DEVICES) {
      return refused.getMessage() + ": quintet remove-device ID";
    }
    return error.getMessage();
  }

  /**
   * A send refused for a full queue, in words: nothing was sent, whose device it is, what it has
   * waiting, and what makes room (that device taking its messages; for one of this account's own,
   * also removing it).
   */
  static String queueFull(QueueFullException full) {
    StringBuilder out = new StringBuilder("not sent, to anyone: ");
    List<QueueFullException.FullQueue> queues = full.queues();
    if (queues.isEmpty()) {
      return out.append("a device it was for has as many messages waiting on the relay as it may hold; try again"
          + " once that device has taken them").toString();
    }
    boolean own = false;
    for (int i = 0; i < queues.size(); i++) {
      QueueFullException.FullQueue queue = queues.get(i);
      own |= full.isOwnDevice(queue);
      out.append(i == 0 ? "" : "; ")
          .append(full.isOwnDevice(queue) ? "your own device " + queue.deviceId()
              : "device " + queue.deviceId() + " of " + queue.number())
          .append(" already has ").append(waiting(queue)).append(" waiting on the relay, the most it may hold");
    }
    out.append(". Send again once ").append(queues.size() == 1 ? "that device has" : "those devices have")
        .append(" come online and taken them");
    if (own) {
      out.append(", or remove a device of yours that you no longer use: quintet remove-device ID");
    }
    return out.append('.').toString();
  }

  private static String waiting(QueueFullException.FullQueue queue) {
    if (queue.limit() == QueueFullException.Limit.BYTES) {
      return queue.max() > 0 ? queue.max() / (1024 * 1024) + " MiB of messages" : "as many bytes of messages as it may";
    }
    return queue.max() > 0 ? queue.max() + (queue.max() == 1 ? " message" : " messages") : "as many messages as it may";
  }

  /** The fields some refusals carry that tell the user what to do next. */
  private static String hints(JsonObject details) {
    StringBuilder out = new StringBuilder();
    if (details.containsKey("attemptsLeft")) {
      out.append(" (attempts left: ").append(details.getValue("attemptsLeft")).append(')');
    }
    if (details.containsKey("retryAfterSeconds")) {
      out.append(" (try again in ").append(details.getValue("retryAfterSeconds")).append(" s)");
    }
    if (details.containsKey("reason")) {
      out.append(" (").append(details.getValue("reason")).append(')');
    }
    if ("TOO_MANY_DEVICES".equals(details.getValue("error"))) {
      out.append("; remove a device first: quintet remove-device ID, on the primary");
    }
    return out.toString();
  }
}
