package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Moves attachment blobs between a file on this device and the relay (docs/relay-api.md,
 * "Attachments"): uploads by tus, in parts, going on from the offset the relay holds after a part
 * that failed; downloads with a {@code Range} that goes on from the bytes already in the file.
 * The blob is ciphertext already; nothing here sees a file's bytes.
 */
final class BlobTransfer {
  /** The bytes of one PATCH: a part that breaks off costs at most this much again. */
  static final int PART_BYTES = 4 << 20;
  /** Failed tries in a row, with no byte gained, before an upload or download gives up. */
  private static final int TRIES = 5;
  private static final long PART_TIMEOUT_MS = 120_000;
  private static final long IDLE_TIMEOUT_MS = 60_000;
  private static final Map<String, String> TUS = Map.of("Tus-Resumable", "1.0.0");

  private final Vertx vertx;
  private final RelayApi api;
  private final RelayAuth auth;

  BlobTransfer(Vertx vertx, RelayApi api, RelayAuth auth) {
    this.vertx = vertx;
    this.api = api;
    this.auth = auth;
  }

  /** Uploads the blob in {@code file} ({@code length} bytes); answers its id on the relay. */
  Future<String> upload(Path file, long length, TransferProgress progress) {
    Map<String, String> headers = Map.of("Tus-Resumable", "1.0.0", "Upload-Length", Long.toString(length));
    return auth.withToken(token -> api.exchange(HttpMethod.POST, "/v1/blobs", token, headers, null, PART_TIMEOUT_MS))
        .compose(created -> {
          String location = created.getHeader("Location");
          if (created.statusCode() != 201 || location == null || !location.startsWith("/v1/blobs/")) {
            return Future.failedFuture(refusal(created));
          }
          return send(location, file, length, 0, TRIES, progress)
              .map(v -> location.substring("/v1/blobs/".length()));
        });
  }

  /** Sends the blob from {@code offset} on, part after part; after a failure, asks where to go on. */
  private Future<Void> send(String path, Path file, long length, long offset, int triesLeft, TransferProgress progress) {
    if (offset == length) {
      return Future.succeededFuture();
    }
    int size = (int) Math.min(PART_BYTES, length - offset);
    return read(file, offset, size)
        .compose(part -> auth.withToken(token -> api.exchange(HttpMethod.PATCH, path, token,
            Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", Long.toString(offset),
                "Content-Type", "application/offset+octet-stream"), part, PART_TIMEOUT_MS)))
        .compose(answer -> answer.statusCode() == 204 ? Future.succeededFuture(offsetOf(answer))
            : Future.failedFuture(refusal(answer)))
        .transform(sent -> {
          if (sent.succeeded()) {
            progress.onProgress(sent.result(), length);
            return send(path, file, length, sent.result(), TRIES, progress);
          }
          if (triesLeft <= 1 || isFinal(sent.cause())) {
            return Future.failedFuture(sent.cause());
          }
          return api.after(1).compose(v -> auth.withToken(token ->
              api.exchange(HttpMethod.HEAD, path, token, TUS, null, PART_TIMEOUT_MS)))
              .compose(head -> head.statusCode() == 200 ? Future.succeededFuture(offsetOf(head))
                  : Future.failedFuture(refusal(head)))
              .compose(held -> send(path, file, length, held, held > offset ? TRIES : triesLeft - 1, progress));
        });
  }

  /** A refusal that another try would meet again. */
  private static boolean isFinal(Throwable error) {
    return error instanceof RelayException refused && refused.status() != 409 && refused.status() / 100 == 4
        && refused.status() != 408 && refused.status() != 429;
  }

  private static long offsetOf(HttpResponse<Buffer> answer) {
    return Long.parseLong(answer.getHeader("Upload-Offset"));
  }

  private Future<Buffer> read(Path file, long offset, int size) {
    return vertx.executeBlocking(() -> {
      byte[] bytes = new byte[size];
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        in.seek(offset);
        in.readFully(bytes);
      }
      return Buffer.buffer(bytes);
    }, false);
  }

  private static RelayException refusal(HttpResponse<Buffer> answer) {
    JsonObject body;
    try {
      body = answer.body() == null || answer.body().length() == 0 ? new JsonObject() : new JsonObject(answer.body());
    } catch (DecodeException | ClassCastException e) {
      body = new JsonObject();
    }
    return RelayException.of(answer.statusCode(), body.getString("error", "HTTP_" + answer.statusCode()),
        body.getString("message", answer.statusMessage()), body);
  }

  /**
   * Downloads blob {@code id} ({@code length} bytes) into {@code file}, going on from the bytes the
   * file already holds (a download that broke off earlier), until it holds them all.
   */
  Future<Void> download(String id, Path file, long length, TransferProgress progress) {
    return receive(id, file, length, TRIES, progress);
  }

  private Future<Void> receive(String id, Path file, long length, int triesLeft, TransferProgress progress) {
    long held = sizeOf(file);
    if (held == length) {
      return Future.succeededFuture();
    }
    if (held > length) {
      return Future.failedFuture(new IOException(file + " holds more than the attachment's " + length + " bytes"));
    }
    return vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreate(true).setAppend(true))
        .compose(out -> auth.withToken(token -> api.download("/v1/blobs/" + id, token, held, out, IDLE_TIMEOUT_MS))
            .compose(status -> status == 206 || held == 0 ? Future.succeededFuture()
                // The relay sent the whole blob where a range was asked: start the file again.
                : vertx.fileSystem().truncate(file.toString(), 0).compose(v -> Future.failedFuture(
                    new IOException("the relay answered a range with the whole attachment"))))
            .eventually(() -> out.close().otherwiseEmpty()))
        .transform(done -> {
          long now = sizeOf(file);
          progress.onProgress(now, length);
          if (done.succeeded()) {
            return receive(id, file, length, TRIES, progress);
          }
          if (triesLeft <= 1 || isFinal(done.cause())) {
            return Future.failedFuture(done.cause());
          }
          return api.after(1).compose(v -> receive(id, file, length, now > held ? TRIES : triesLeft - 1, progress));
        });
  }

  private static long sizeOf(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
