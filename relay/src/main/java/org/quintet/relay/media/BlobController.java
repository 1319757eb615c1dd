package org.quintet.relay.media;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.quintet.protocol.KeySource;
import org.quintet.relay.BlobsConfig;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;
import org.quintet.relay.api.Controller;
import org.quintet.relay.api.DeviceController;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.limits.Limiter;
import org.quintet.relay.limits.RateLimiters;
import org.quintet.relay.storage.BlobRecord;
import org.quintet.relay.storage.RelayStorage;

/**
 * Attachment blobs over HTTP (docs/relay-api.md, "Attachments"): the tus 1.0 resumable upload
 * protocol (core and the creation and termination extensions), so that a page uploads with
 * tus-js-client and picks up where a broken upload stopped, and {@code GET} with a {@code Range}.
 * Only the account that creates a blob may upload to it or delete it; any device that has logged
 * in may download a complete one (the people the blob's message went to are other accounts), and
 * learns nothing without the key the message carries. The body of a {@code PATCH} streams to a
 * file of the node's own and then into the blob store; what arrived before a connection broke is
 * kept, and the upload's offset says so.
 */
public final class BlobController {
  static final String TUS_VERSION = "1.0.0";
  private static final String PATH = "/v1/blobs";
  private static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
  private static final int ID_BYTES = 16;
  /** Blobs the sweep deletes in one pass; it goes on while it finds this many. */
  static final int SWEEP_BATCH = 500;

  private final Vertx vertx;
  private final RelayStorage storage;
  private final BlobStore store;
  private final BlobsConfig config;
  private final Clock clock;
  private final RateLimiters limiters;
  private final Path spool;
  private final KeySource random = KeySource.secure();
  /** Blobs this node is appending to: a second PATCH of one of them waits for none, it is refused. */
  private final Set<String> appending = ConcurrentHashMap.newKeySet();

  public BlobController(Vertx vertx, RelayStorage storage, BlobStore store, BlobsConfig config, Clock clock,
      RateLimiters limiters, Path dataDir) {
    this.vertx = vertx;
    this.storage = storage;
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.limiters = limiters;
    this.spool = dataDir.resolve("uploads");
  }

  /**
   * Mounts the routes ahead of the JSON body handling of the rest of the API: a blob's bytes are
   * no JSON and stream past the API's body limit. {@code authenticate} logs the caller in (and
   * fails the request when it cannot).
   */
  public void mount(Router router, Handler<RoutingContext> authenticate) {
    router.options(PATH).handler(this::options);
    router.route(PATH).handler(BlobController::pause);
    router.route(PATH + "/:id").handler(BlobController::pause);
    router.post(PATH).handler(authenticate).handler(ctx -> answer(ctx, create(ctx)));
    router.head(PATH + "/:id").handler(authenticate).handler(ctx -> answer(ctx, offset(ctx)));
    router.patch(PATH + "/:id").handler(authenticate).handler(ctx -> answer(ctx, append(ctx)));
    router.delete(PATH + "/:id").handler(authenticate).handler(ctx -> answer(ctx, delete(ctx)));
    router.get(PATH + "/:id").handler(authenticate).handler(ctx -> answer(ctx, download(ctx)));
  }

  /** The body waits until a handler reads it: logging in takes a round trip to the storage first. */
  private static void pause(RoutingContext ctx) {
    ctx.request().pause();
    ctx.next();
  }

  private static void answer(RoutingContext ctx, Future<Void> done) {
    done.recover(DeviceController::storageRefusal).onFailure(failure -> {
      if (!ctx.response().headWritten()) {
        ctx.request().resume(); // a refused body is read and dropped, so the connection can go on
        ctx.fail(failure);
      } else {
        ctx.response().reset();
      }
    });
  }

  private static ApiException unknownBlob() {
    return new ApiException(ApiError.UNKNOWN_BLOB, "no such attachment (never uploaded, or expired)");
  }

  private static HttpServerResponse tus(RoutingContext ctx) {
    return ctx.response().putHeader("Tus-Resumable", TUS_VERSION).putHeader("Cache-Control", "no-store");
  }

  private static void requireTus(RoutingContext ctx) {
    if (!TUS_VERSION.equals(ctx.request().getHeader("Tus-Resumable"))) {
      throw new ApiException(ApiError.UNSUPPORTED_TUS_VERSION, "this relay speaks tus " + TUS_VERSION
          + " (send Tus-Resumable: " + TUS_VERSION + ")");
    }
  }

  /** A header that holds a non-negative decimal number, or null when it is absent. */
  private static Long number(RoutingContext ctx, String header) {
    String value = ctx.request().getHeader(header);
    if (value == null) {
      return null;
    }
    if (!value.matches("[0-9]{1,18}")) {
      throw new ApiException(ApiError.INVALID_REQUEST, header + " must be a non-negative decimal number");
    }
    return Long.parseLong(value);
  }

  private void options(RoutingContext ctx) {
    tus(ctx).putHeader("Tus-Version", TUS_VERSION).putHeader("Tus-Extension", "creation,termination")
        .putHeader("Tus-Max-Size", Long.toString(config.maxBytes())).setStatusCode(204).end();
  }

  // --- creation -----------------------------------------------------------------------------------

  private Future<Void> create(RoutingContext ctx) {
    return Controller.attempt(() -> {
      requireTus(ctx);
      Long length = number(ctx, "Upload-Length");
      if (length == null) {
        throw new ApiException(ApiError.INVALID_REQUEST, "Upload-Length must say how many bytes the attachment has");
      }
      if (length == 0) {
        throw new ApiException(ApiError.INVALID_REQUEST, "an attachment has at least one byte");
      }
      if (length > config.maxBytes()) {
        throw new ApiException(ApiError.TOO_LARGE, "an attachment is at most " + config.maxBytes() + " bytes");
      }
      AuthenticatedDevice caller = Controller.device(ctx);
      long now = clock.millis();
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random.bytes(ID_BYTES));
      BlobRecord blob = new BlobRecord(id, caller.number(), caller.deviceId(), length, 0, now,
          now + config.unfinishedTtl().toMillis());
      return limiters.check(Limiter.BLOB_UPLOADS_PER_ACCOUNT.of(caller.number()))
          .compose(v -> storage.createBlob(blob, config.quotaBytes()))
          .compose(v -> {
            ctx.request().resume();
            return tus(ctx).putHeader("Location", PATH + "/" + id).putHeader("Upload-Offset", "0")
                .setStatusCode(201).end();
          });
    });
  }

  // --- offset and upload --------------------------------------------------------------------------

  /** The blob, if the caller's account uploads it: another account learns nothing of it. */
  private Future<BlobRecord> own(RoutingContext ctx) {
    AuthenticatedDevice caller = Controller.device(ctx);
    return storage.blob(ctx.pathParam("id")).map(found -> {
      BlobRecord blob = found.filter(b -> b.expiresAt() > clock.millis()).orElseThrow(BlobController::unknownBlob);
      if (!blob.number().equals(caller.number())) {
        throw new ApiException(ApiError.NOT_ALLOWED, "only the account that uploads an attachment may change it");
      }
      return blob;
    });
  }

  private Future<Void> offset(RoutingContext ctx) {
    return Controller.attempt(() -> {
      requireTus(ctx);
      return own(ctx).compose(blob -> tus(ctx).putHeader("Upload-Offset", Long.toString(blob.offset()))
          .putHeader("Upload-Length", Long.toString(blob.length())).setStatusCode(200).end());
    });
  }

  private Future<Void> append(RoutingContext ctx) {
    return Controller.attempt(() -> {
      requireTus(ctx);
      String type = ctx.request().getHeader("Content-Type");
      if (type == null || !type.trim().equalsIgnoreCase(OFFSET_OCTET_STREAM)) {
        throw new ApiException(ApiError.UNSUPPORTED_MEDIA_TYPE, "an upload's bytes are sent as " + OFFSET_OCTET_STREAM);
      }
      Long offset = number(ctx, "Upload-Offset");
      if (offset == null) {
        throw new ApiException(ApiError.INVALID_REQUEST, "Upload-Offset must say where the bytes go");
      }
      return own(ctx).compose(blob -> {
        if (blob.offset() != offset) {
          return Future.failedFuture(new ApiException(ApiError.UPLOAD_OFFSET_CONFLICT,
              "the upload holds " + blob.offset() + " bytes, not " + offset));
        }
        if (!appending.add(blob.id())) {
          return Future.failedFuture(new ApiException(ApiError.UPLOAD_OFFSET_CONFLICT,
              "another upload of this attachment is under way"));
        }
        return receive(ctx, blob).eventually(() -> {
          appending.remove(blob.id());
          return Future.succeededFuture();
        });
      });
    });
  }

  /**
   * Streams the body to a spool file, then appends what came to the blob, even when the connection
   * broke midway: the next {@code HEAD} says how much arrived. A body longer than what the blob
   * still lacks changes nothing.
   */
  private Future<Void> receive(RoutingContext ctx, BlobRecord blob) {
    HttpServerRequest request = ctx.request();
    long room = blob.length() - blob.offset();
    // One append of a blob at a time on this node (appending), so the name is this append's alone.
    Path part = spool.resolve(blob.id() + "." + blob.offset());
    return vertx.fileSystem().mkdirs(spool.toString())
        .compose(v -> vertx.fileSystem().open(part.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .compose(file -> spoolBody(request, file, room).compose(arrived -> {
          if (arrived.tooLong()) {
            return Future.failedFuture(tooLong(blob));
          }
          if (arrived.length() == 0) {
            return Future.succeededFuture(blob);
          }
          long next = blob.offset() + arrived.length();
          return store.append(blob.id(), blob.offset(), part, arrived.length())
              .compose(v -> storage.advanceBlob(blob.id(), blob.offset(), next, expiresWhenComplete()))
              .compose(now -> now.complete() ? store.complete(blob.id(), now.length()).map(now) : Future.succeededFuture(now));
        }).eventually(() -> vertx.fileSystem().delete(part.toString()).otherwiseEmpty()))
        .compose(now -> tus(ctx).putHeader("Upload-Offset", Long.toString(now.offset())).setStatusCode(204).end());
  }

  private static ApiException tooLong(BlobRecord blob) {
    return new ApiException(ApiError.TOO_LARGE, "the upload goes past the " + blob.length() + " bytes it announced");
  }

  private long expiresWhenComplete() {
    return clock.millis() + config.ttl().toMillis();
  }

  /** What a body brought: its bytes up to the room left, and whether it had more. */
  private record Arrived(long length, boolean tooLong) {}

  /**
   * Writes the request's body to {@code file}, minding the file's write queue, and closes the file.
   * Completes when the body ended, broke off or went past {@code room} bytes, with the bytes written.
   */
  private static Future<Arrived> spoolBody(HttpServerRequest request, AsyncFile file, long room) {
    Promise<Arrived> done = Promise.promise();
    long[] written = {0};
    boolean[] over = {false};
    boolean[] finished = {false};
    Runnable finish = () -> {
      if (finished[0]) {
        return;
      }
      finished[0] = true;
      file.close().onComplete(closed -> {
        if (closed.succeeded()) {
          done.tryComplete(new Arrived(written[0], over[0]));
        } else {
          done.tryFail(closed.cause());
        }
      });
    };
    request.handler(data -> {
      if (over[0]) {
        return;
      }
      int take = (int) Math.min(data.length(), room - written[0]);
      if (take < data.length()) {
        over[0] = true;
        request.pause();
      }
      if (take > 0) {
        file.write(take == data.length() ? data : data.slice(0, take));
        written[0] += take;
      }
      if (over[0]) {
        finish.run();
      } else if (file.writeQueueFull()) {
        request.pause();
        file.drainHandler(v -> request.resume());
      }
    });
    request.endHandler(v -> finish.run());
    request.exceptionHandler(broken -> finish.run());
    request.resume();
    return done.future();
  }

  // --- termination and download -------------------------------------------------------------------

  private Future<Void> delete(RoutingContext ctx) {
    return Controller.attempt(() -> {
      requireTus(ctx);
      return own(ctx).compose(blob -> store.delete(blob.id()).compose(v -> storage.deleteBlob(blob.id())))
          .compose(v -> {
            ctx.request().resume();
            return tus(ctx).setStatusCode(204).end();
          });
    });
  }

  private Future<Void> download(RoutingContext ctx) {
    return storage.blob(ctx.pathParam("id")).compose(found -> {
      Optional<BlobRecord> complete = found.filter(b -> b.complete() && b.expiresAt() > clock.millis());
      if (complete.isEmpty()) {
        return Future.failedFuture(unknownBlob());
      }
      BlobRecord blob = complete.get();
      ByteRange range = ByteRange.parse(ctx.request().getHeader("Range"), blob.length());
      HttpServerResponse response = ctx.response().putHeader("Content-Type", "application/octet-stream")
          .putHeader("Accept-Ranges", "bytes").putHeader("Cache-Control", "no-store");
      if (range == null) {
        response.putHeader("Content-Range", "bytes */" + blob.length()).setStatusCode(416).end();
        return Future.succeededFuture();
      }
      ctx.request().resume();
      response.putHeader("Content-Length", Long.toString(range.length()));
      if (range.partial()) {
        response.setStatusCode(206).putHeader("Content-Range", range.contentRange(blob.length()));
      }
      return store.read(blob.id(), range.from(), range.length(), new DownloadStream(response)).compose(v -> response.end());
    });
  }

  // --- the sweep ----------------------------------------------------------------------------------

  /**
   * Deletes the blobs whose time is up, unfinished uploads and complete blobs alike, their bytes
   * before their record (a record without bytes would answer a download with nothing). Answers how
   * many went.
   */
  public Future<Integer> sweep() {
    return storage.expiredBlobs(clock.millis(), SWEEP_BATCH).compose(expired -> {
      Future<Void> gone = Future.succeededFuture();
      for (BlobRecord blob : expired) {
        gone = gone.compose(v -> store.delete(blob.id())).compose(v -> storage.deleteBlob(blob.id())).mapEmpty();
      }
      return gone.compose(v -> expired.size() == SWEEP_BATCH
          ? sweep().map(more -> more + expired.size()) : Future.succeededFuture(expired.size()));
    });
  }
}
