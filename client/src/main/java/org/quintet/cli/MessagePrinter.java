package org.quintet.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import org.quintet.client.IncomingMessage;
import org.quintet.client.Receipt;
import org.quintet.client.UnreadableMessage;

/** Prints what {@code receive} gets, as text lines for people or JSON lines for scripts. */
final class MessagePrinter {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  MessagePrinter(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  void message(IncomingMessage m) {
    if (json) {
      line(out, new JsonObject().put("type", "message").put("id", m.id()).put("from", m.from())
          .put("fromDevice", m.fromDevice()).put("timestamp", m.timestamp()).put("serverTimestamp", m.serverTimestamp())
          .put("peer", m.peer()).put("outgoing", m.outgoing()).put("body", m.body()).encode());
    } else if (m.outgoing()) {
      line(out, "[" + Times.format(m.timestamp()) + "] " + m.from() + " (device " + m.fromDevice() + ") to "
          + m.peer() + ": " + m.body());
    } else {
      line(out, "[" + Times.format(m.timestamp()) + "] " + m.from() + " (device " + m.fromDevice() + "): " + m.body());
    }
  }

  void receipt(Receipt r) {
    if (json) {
      line(out, new JsonObject().put("type", "receipt").put("id", r.id()).put("from", r.from())
          .put("fromDevice", r.fromDevice()).put("timestamp", r.serverTimestamp()).encode());
    } else {
      line(out, "[" + Times.format(r.serverTimestamp()) + "] receipt: " + r.from() + " (device " + r.fromDevice()
          + ") received " + r.id());
    }
  }

  void unreadable(UnreadableMessage u) {
    if (json) {
      line(out, new JsonObject().put("type", "unreadable").put("id", u.id()).put("from", u.from())
          .put("fromDevice", u.fromDevice()).put("reason", u.reason()).encode());
    } else {
      line(err, "could not read a message from " + (u.from() == null ? "an unknown sender" : u.from() + " (device "
          + u.fromDevice() + ")") + ": " + u.reason());
    }
  }

  void warning(String text) {
    line(err, "quintet: " + text);
  }

  private static void line(PrintWriter writer, String text) {
    synchronized (writer) {
      writer.println(text);
      writer.flush();
    }
  }
}
