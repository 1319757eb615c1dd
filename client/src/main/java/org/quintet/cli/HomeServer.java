package org.quintet.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.quintet.client.SentMessage;

/**
 * Serves {@link HomeSocket} for a process that holds a home, so that other verbs can use the home
 * meanwhile: each request runs on a thread of its own against the held device. Started by
 * {@code receive} and {@code daemon}; closing it removes the socket.
 */
final class HomeServer implements AutoCloseable {
  private final Path home;
  private final Path socket;
  private final ServerSocketChannel server;
  /** What the {@code stop} method does; null where the holding verb ends by itself. */
  private final Runnable stop;

  private HomeServer(Path home, Path socket, ServerSocketChannel server, Runnable stop) {
    this.home = home;
    this.socket = socket;
    this.server = server;
    this.stop = stop;
  }

  /**
   * Listens for the held device; a home whose socket cannot be made is still used, by this process
   * alone. {@code stop}, when not null, is what the {@code stop} method does.
   */
  static HomeServer start(Path home, OpenDevice device, PrintWriter err, Runnable stop) {
    Path socket = HomeSocket.of(home);
    try {
      // A socket file left by a process that died: nobody listens on it.
      Files.deleteIfExists(socket);
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      HomeServer started = new HomeServer(home, socket, server, stop);
      OpenDevice.hold(home, device);
      Thread accepting = new Thread(started::accept, "quintet-home-socket");
      accepting.setDaemon(true);
      accepting.start();
      return started;
    } catch (IOException | UnsupportedOperationException e) {
      err.println("quintet: other verbs cannot use this home meanwhile (" + socket + ": " + e.getMessage() + ")");
      return new HomeServer(home, socket, null, stop);
    }
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        Thread serving = new Thread(() -> serve(channel), "quintet-home-request");
        serving.setDaemon(true);
        serving.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(SocketChannel channel) {
    try (channel) {
      String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))
          .readLine();
      JsonObject answer = answer(line);
      channel.write(ByteBuffer.wrap((answer.encode() + "\n").getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      // The asking process went away; its verb learns nothing more.
    }
  }

  private JsonObject answer(String line) {
    JsonObject request;
    try {
      request = new JsonObject(line == null ? "" : line);
    } catch (DecodeException e) {
      return error(null, -32700, "a request is one line of JSON");
    }
    Object id = request.getValue("id");
    JsonObject params = request.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    try {
      return switch (String.valueOf(request.getValue("method"))) {
        case "run" -> result(id, run(params));
        case "send" -> result(id, send(params));
        case "stop" -> {
          if (stop == null) {
            yield error(id, -32601, "this process ends by itself; stop is for the daemon");
          }
          stop.run();
          yield result(id, new JsonObject());
        }
        default -> error(id, -32601, "methods: run, send, stop");
      };
    } catch (IllegalArgumentException e) {
      return error(id, -32602, e.getMessage());
    }
  }

  private JsonObject run(JsonObject params) {
    if (!(params.getValue("args") instanceof JsonArray args) || args.isEmpty()
        || !args.stream().allMatch(String.class::isInstance)) {
      throw new IllegalArgumentException("run takes {\"args\": [\"verb\", ...]}");
    }
    List<String> words = args.stream().map(String.class::cast).toList();
    if (!HomeSocket.FORWARDED.contains(words.get(0))) {
      throw new IllegalArgumentException(words.get(0) + " cannot run while another process holds this home");
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QuintetCli.runHere(words.toArray(String[]::new), new BufferedReader(new StringReader("")),
        new PrintWriter(out, true), new PrintWriter(err, true));
    return new JsonObject().put("exitCode", code).put("out", out.toString()).put("err", err.toString());
  }

  private JsonObject send(JsonObject params) {
    if (!(params.getValue("number") instanceof String number) || !(params.getValue("text") instanceof String text)) {
      throw new IllegalArgumentException("send takes {\"number\": \"+...\", \"text\": \"...\"}");
    }
    OpenDevice device = OpenDevice.held(home).orElseThrow(() -> new IllegalArgumentException("the home is closing"));
    try {
      SentMessage sent = OpenDevice.await(device.client.sendText(number, text));
      return new JsonObject().put("id", sent.id()).put("devices", sent.devices());
    } catch (Exception e) {
      throw new IllegalArgumentException(Failures.describe(Failures.unwrap(e)));
    }
  }

  private static JsonObject result(Object id, JsonObject result) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
  }

  private static JsonObject error(Object id, int code, String message) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id)
        .put("error", new JsonObject().put("code", code).put("message", message));
  }

  @Override
  public void close() {
    OpenDevice.release(home);
    if (server == null) {
      return;
    }
    try {
      server.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // A socket file left behind is removed by the next process that holds the home.
    }
  }
}
