package org.quintet.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.HexFormat;
import java.util.Optional;
import org.quintet.client.AttachmentPointer;
import org.quintet.client.SavedAttachment;
import org.quintet.client.ConnectionClosed;
import org.quintet.client.Delete;
import org.quintet.client.DeleteForMe;
import org.quintet.client.DeviceChanges;
import org.quintet.client.Edit;
import org.quintet.client.HistoryEntry;
import org.quintet.client.HistoryProgress;
import org.quintet.client.IncomingMessage;
import org.quintet.client.LocalStore;
import org.quintet.client.Profile;
import org.quintet.client.ProfileName;
import org.quintet.client.Reaction;
import org.quintet.client.Read;
import org.quintet.client.Receipt;
import org.quintet.client.Received;
import org.quintet.client.SearchHit;
import org.quintet.client.Settings;
import org.quintet.client.Typing;
import org.quintet.client.UnreadableMessage;
import org.quintet.client.UnsupportedMessage;
import org.quintet.client.WritableContent;

/**
 * Prints what a receiving device gets (messages, the other contents, receipts, device events,
 * history progress) and the texts a search found, as text lines for people or JSON lines for
 * scripts; warnings go to the error stream as text. An account is shown by the name it chose,
 * where this device knows one, beside its number.
 */
final class MessagePrinter {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final LocalStore store;

  /** {@code store}: the device's, for the names accounts chose and the texts changes are about. */
  MessagePrinter(PrintWriter out, PrintWriter err, boolean json, LocalStore store) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.store = store;
  }

  private Optional<String> name(String number) {
    return store.profile(number).map(ProfileName::name);
  }

  /** {@code Aliya (+8801711000001)}, or the number alone. */
  private String who(String number) {
    return name(number).map(name -> name + " (" + number + ")").orElse(number);
  }

  /** {@code Aliya (+8801711000001, device 2)}, or {@code +8801711000001 (device 2)}. */
  private String who(String number, long device) {
    return name(number).map(name -> name + " (" + number + ", device " + device + ")")
        .orElse(number + " (device " + device + ")");
  }

  /** The fields every JSON line about a content has. */
  private JsonObject fields(String type, String id, String from, long fromDevice) {
    JsonObject line = new JsonObject().put("type", type).put("id", id).put("from", from).put("fromDevice", fromDevice);
    name(from).ifPresent(name -> line.put("fromName", name));
    return line;
  }

  /**
   * A message with a file: its fields and the pointer's, and where the file was saved ({@code saved},
   * null when it was not downloaded; {@code error} says why, null when nothing went wrong).
   */
  void attachment(IncomingMessage m, SavedAttachment saved, String error) {
    AttachmentPointer file = m.attachment();
    if (json) {
      JsonObject line = fields("attachment", m.id(), m.from(), m.fromDevice()).put("timestamp", m.timestamp())
          .put("serverTimestamp", m.serverTimestamp()).put("peer", m.peer()).put("outgoing", m.outgoing())
          .put("caption", m.body()).put("contentType", file.contentType()).put("size", file.size())
          .put("sha256", HexFormat.of().formatHex(file.digest()));
      if (file.fileName() != null) {
        line.put("fileName", file.fileName());
      }
      if (file.width() != null) {
        line.put("width", file.width()).put("height", file.height());
      }
      if (file.durationMs() != null) {
        line.put("duration", file.durationMs());
      }
      if (file.voiceNote()) {
        line.put("voiceNote", true);
      }
      if (saved != null) {
        line.put("path", saved.path().toString());
      }
      if (error != null) {
        line.put("error", error);
      }
      line(out, line.encode());
      return;
    }
    String name = file.fileName() != null ? file.fileName() : file.contentType();
    String where = saved != null ? ", saved to " + saved.path() : error != null ? ", not downloaded: " + error : "";
    String caption = m.body().isEmpty() ? "" : " " + m.body();
    line(out, textLine(m.timestamp(), m.from(), m.fromDevice(), m.outgoing(), m.peer(),
        "[file " + name + ", " + file.size() + " bytes" + where + "]" + caption, m.id()));
  }

  /** A file {@code download} saved. */
  static void savedLine(PrintWriter out, SavedAttachment saved, boolean json) {
    if (json) {
      JsonObject line = new JsonObject().put("id", saved.messageId()).put("path", saved.path().toString())
          .put("size", saved.size()).put("sha256", saved.sha256()).put("contentType", saved.contentType());
      if (saved.fileName() != null) {
        line.put("fileName", saved.fileName());
      }
      out.println(line.encode());
    } else {
      out.println(saved.path());
    }
    out.flush();
  }

  void message(IncomingMessage m) {
    if (m.attachment() != null) {
      attachment(m, null, null);
      return;
    }
    if (json) {
      JsonObject line = fields("text", m.id(), m.from(), m.fromDevice()).put("timestamp", m.timestamp())
          .put("serverTimestamp", m.serverTimestamp()).put("peer", m.peer()).put("outgoing", m.outgoing())
          .put("body", m.body());
      if (m.quote() != null) {
        line.put("quote", new JsonObject().put("id", m.quote().id()).put("author", m.quote().author())
            .put("body", m.quote().body()));
      }
      line(out, line.encode());
      return;
    }
    String reply = m.quote() == null ? ""
        : " (in reply to " + who(m.quote().author()) + ": " + Receipt.excerpt(m.quote().id(), m.quote().body()) + ")";
    line(out, textLine(m.timestamp(), m.from(), m.fromDevice(), m.outgoing(), m.peer(), m.body() + reply, m.id()));
  }

  /** A text a search found: as a text that arrives is shown, or a JSON line of type {@code hit}. */
  void hit(SearchHit h) {
    if (json) {
      JsonObject line = new JsonObject().put("type", "hit").put("id", h.id()).put("peer", h.peer())
          .put("from", h.from());
      name(h.from()).ifPresent(name -> line.put("fromName", name));
      line(out, line.put("timestamp", h.timestamp()).put("outgoing", h.outgoing()).put("body", h.body()).encode());
      return;
    }
    line(out, textLine(h.timestamp(), h.from(), h.fromDevice(), h.outgoing(), h.peer(), h.body(), h.id()));
  }

  /** {@code [time] who: body  [id ...]}, with the other account of the chat for a text this account sent. */
  private String textLine(long timestamp, String from, long fromDevice, boolean outgoing, String peer, String body,
      String id) {
    return "[" + Times.format(timestamp) + "] " + who(from, fromDevice) + (outgoing ? " to " + who(peer) : "") + ": "
        + body + "  [id " + id + "]";
  }

  /** A content other than a text: one JSON line of its type, or one sentence. */
  void received(Received<?> r) {
    WritableContent content = r.content();
    if (json) {
      JsonObject line = fields(content.type(), r.id(), r.from(), r.fromDevice()).put("timestamp", content.timestamp())
          .put("serverTimestamp", r.serverTimestamp()).put("peer", r.peer()).put("outgoing", r.outgoing());
      line(out, describe(content, line).encode());
      return;
    }
    line(out, "[" + Times.format(r.serverTimestamp()) + "] " + who(r.from(), r.fromDevice()) + " " + sentence(r));
  }

  /** The content's own fields. */
  private static JsonObject describe(WritableContent content, JsonObject line) {
    if (content instanceof Reaction reaction) {
      return line.put("target", reaction.target()).put("emoji", reaction.emoji());
    }
    if (content instanceof Edit edit) {
      return line.put("target", edit.target()).put("body", edit.body());
    }
    if (content instanceof Delete delete) {
      return line.put("target", delete.target());
    }
    if (content instanceof DeleteForMe deleted) {
      return line.put("targets", new JsonArray(deleted.targets()));
    }
    if (content instanceof Read read) {
      return line.put("targets", new JsonArray(read.targets()));
    }
    if (content instanceof Typing typing) {
      return line.put("typing", typing.typing());
    }
    if (content instanceof Profile profile) {
      return line.put("name", profile.name());
    }
    return line.put("readReceipts", ((Settings) content).readReceipts());
  }

  private String sentence(Received<?> r) {
    WritableContent content = r.content();
    String in = r.outgoing() ? " (with " + who(r.peer()) + ")" : "";
    if (content instanceof Reaction reaction) {
      return (reaction.removes() ? "took back the reaction to " : "reacted " + reaction.emoji() + " to ")
          + about(reaction.target()) + in;
    }
    if (content instanceof Edit edit) {
      return "edited [id " + edit.target() + "]" + in + ": " + edit.body();
    }
    if (content instanceof Delete delete) {
      return "deleted [id " + delete.target() + "] for everyone" + in;
    }
    if (content instanceof DeleteForMe deleted) {
      return "deleted " + count(deleted.targets().size()) + " of the chat with " + who(r.peer())
          + " for this account";
    }
    if (content instanceof Read read) {
      return r.outgoing() ? "read the chat with " + who(r.peer()) + " (" + count(read.targets().size()) + ")"
          : "read " + count(read.targets().size());
    }
    if (content instanceof Typing typing) {
      return typing.typing() ? "is typing" : "stopped typing";
    }
    if (content instanceof Profile profile) {
      return "is called \"" + profile.name() + "\"";
    }
    return "turned read receipts " + (((Settings) content).readReceipts() ? "on" : "off");
  }

  /** The text a change is about, by its first words where this device holds it. */
  private String about(String target) {
    return Receipt.excerpt(target, store.historyEntry(target).map(HistoryEntry::body).orElse(null));
  }

  private static String count(int messages) {
    return messages + (messages == 1 ? " message" : " messages");
  }

  void receipt(Receipt r) {
    if (json) {
      line(out, fields("receipt", r.id(), r.from(), r.fromDevice()).put("timestamp", r.serverTimestamp())
          .put("text", r.text()).encode());
    } else {
      line(out, "[" + Times.format(r.serverTimestamp()) + "] receipt: " + who(r.from(), r.fromDevice())
          + " received " + r.excerpt());
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
      line(out, fields("unsupported", u.id(), u.from(), u.fromDevice()).put("serverTimestamp", u.serverTimestamp())
          .put("contentType", u.type()).put("peer", u.peer()).put("outgoing", u.outgoing()).encode());
    } else {
      line(out, "[" + Times.format(u.serverTimestamp()) + "] " + who(u.from(), u.fromDevice())
          + (u.outgoing() ? " to " + who(u.peer()) : "") + ": (" + UnsupportedMessage.NOTICE + ")");
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
