package org.quintet.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import org.quintet.client.SentMessage;

/**
 * What a verb that sends prints: the new message's id alone on a line, for the next verb that
 * names it (reply, react, edit, delete), or with {@code --json} an object with it.
 */
final class SentOutput {
  private SentOutput() {}

  static void print(PrintWriter out, SentMessage sent, boolean json) {
    if (json) {
      out.println(new JsonObject().put("id", sent.id()).put("to", sent.to()).put("devices", sent.devices())
          .put("timestamp", sent.timestamp()).put("serverTimestamp", sent.serverTimestamp()).encode());
    } else {
      out.println(sent.id());
    }
    out.flush();
  }
}
