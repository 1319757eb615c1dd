package org.quintet.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import org.quintet.client.ConnectionClosed;
import org.quintet.client.DeviceChanges;
import org.quintet.client.HistoryProgress;
import org.quintet.client.IncomingMessage;
import org.quintet.client.Receipt;
import org.quintet.client.UnreadableMessage;
import org.quintet.client.UnsupportedMessage;

/**
 * Prints what a receiving device gets (messages, receipts, device events, history progress), as
 * text lines for people or JSON lines for scripts; warnings go to the error stream as text.
 */
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
          .put("fromDevice", r.fromDevice()).put("timestamp", r.serverTimestamp()).put("text", r.text()).encode());
    } else {
      line(out, "[" + Times.format(r.serverTimestamp()) + "] receipt: " + r.from() + " (device " + r.fromDevice()
          + ") received " + r.excerpt());
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

  void unsupported(UnsupportedMessage u) {
    if (json) {
      line(out, new JsonObject().put("type", "unsupported").put("id", u.id()).put("from", u.from())
          .put("fromDevice", u.fromDevice()).put("serverTimestamp", u.serverTimestamp()).put("contentType", u.type())
          .put("peer", u.peer()).put("outgoing", u.outgoing()).encode());
    } else {
      line(out, "[" + Times.format(u.serverTimestamp()) + "] " + u.from() + " (device " + u.fromDevice() + ")"
          + (u.outgoing() ? " to " + u.peer() : "") + ": (" + UnsupportedMessage.NOTICE + ")");
    }
  }

  void deviceLinked(long deviceId) {
    if (json) {
      line(out, new JsonObject().put("type", "device-linked").put("deviceId", deviceId).encode());
    } else {
      line(out, "device " + deviceId + " was linked to this account");
    }
  }

  void devicesChanged(DeviceChanges changes) {
    if (json) {
      line(out, new JsonObject().put("type", "devices-changed")
          .put("added", new JsonArray(List.copyOf(changes.added())))
          .put("removed", new JsonArray(List.copyOf(changes.removed()))).encode());
      return;
    }
    changes.added().stream().sorted().forEach(id -> line(out, "device " + id + " joined this account's device list"));
    changes.removed().stream().sorted().forEach(id -> line(out, "device " + id + " is no longer part of this account"));
  }

  void history(HistoryProgress progress) {
    if (json) {
      line(out, new JsonObject().put("type", "history").put("part", progress.part()).put("parts", progress.parts())
          .put("texts", progress.texts()).put("added", progress.added()).put("complete", progress.complete()).encode());
    } else {
      line(out, "history from the primary: part " + progress.part() + " of " + progress.parts() + " ("
          + progress.texts() + (progress.texts() == 1 ? " text, " : " texts, ") + progress.added() + " new)"
          + (progress.complete() ? "; the history is complete" : ""));
    }
  }

  void closed(ConnectionClosed closed) {
    if (json) {
      line(out, new JsonObject().put("type", "closed").put("code", closed.code()).put("reason", closed.reason())
          .put("loggedOut", closed.loggedOut()).encode());
    }
    warning(closed.description());
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
