package org.quintet.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The local socket of a home held by a long-running process ({@code receive}, {@code daemon}):
 * {@code HOME/daemon.sock}, in the owner-only home directory. One JSON-RPC 2.0 request per
 * connection, one line each way (docs/client.md, "Daemon"):
 * <ul>
 *   <li>{@code run} {@code {"args": [...]}}: runs a verb on the held home, answers
 *       {@code {"exitCode", "out", "err"}};</li>
 *   <li>{@code send} {@code {"number", "text"}}: answers {@code {"id", "devices"}};</li>
 *   <li>{@code stop}: ends a {@code daemon}.</li>
 * </ul>
 * Verbs run elsewhere on a held home go through it, so that one process steps the home's ratchets.
 */
final class HomeSocket {
  static final String FILE = "daemon.sock";
  /** Verbs another process may run on a held home; the rest (receiving, linking this home, logging it out) wait. */
  static final Set<String> FORWARDED = Set.of("send", "reply", "react", "edit", "delete", "read", "typing", "profile",
      "settings", "search", "devices", "whoami", "trust", "link-device", "rename-device", "remove-device");

  private HomeSocket() {}

  static Path of(Path home) {
    return home.toAbsolutePath().normalize().resolve(FILE);
  }

  /**
   * Runs the verb through the process that holds its home, when one does; empty when none holds
   * it (no socket, or a socket left by a process that died), so the verb runs here.
   */
  static Optional<Integer> forward(List<String> args, Path home, PrintWriter out, PrintWriter err) {
    Path socket = of(home);
    if (args.isEmpty() || !FORWARDED.contains(args.get(0)) || !Files.exists(socket)) {
      return Optional.empty();
    }
    JsonObject request = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "run")
        .put("params", new JsonObject().put("args", new JsonArray(args)));
    JsonObject answer;
    try {
      answer = call(socket, request);
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonObject result = answer.getJsonObject("result");
    if (result == null) {
      JsonObject error = answer.getJsonObject("error", new JsonObject());
      err.println("quintet: the process holding " + home + " refused: " + error.getString("message", "no answer"));
      return Optional.of(ExitCodes.LOCAL_STATE);
    }
    out.print(result.getString("out", ""));
    out.flush();
    err.print(result.getString("err", ""));
    err.flush();
    return Optional.of(result.getInteger("exitCode", ExitCodes.INTERNAL));
  }

  /** One request and its answer. */
  static JsonObject call(Path socket, JsonObject request) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap((request.encode() + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.shutdownOutput();
      String line = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8).strip();
      if (line.isEmpty()) {
        throw new IOException("no answer on " + socket);
      }
      return new JsonObject(line);
    }
  }
}
