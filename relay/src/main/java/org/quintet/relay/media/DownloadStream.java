package org.quintet.relay.media;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;

/**
 * A download's response as a blob store writes to it. A response whose connection closes calls no
 * drain handler, so a store waiting for one would wait for ever, holding a file or an object
 * store's response open: once the connection is gone, this stream calls the waiting drain handler
 * and fails every write, and the store's read ends.
 */
final class DownloadStream implements WriteStream<Buffer> {
  private final HttpServerResponse response;
  private boolean closed;
  private Handler<Void> drain;
  private Handler<Throwable> failed;

  DownloadStream(HttpServerResponse response) {
    this.response = response;
    response.closeHandler(v -> {
      closed = true;
      if (failed != null) {
        failed.handle(new HttpClosedException("the download's connection closed"));
      }
      if (drain != null) {
        drain.handle(null);
      }
    });
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    failed = handler;
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return closed ? Future.failedFuture(new HttpClosedException("the download's connection closed")) : response.write(data);
  }

  @Override
  public Future<Void> end() {
    return closed ? Future.failedFuture(new HttpClosedException("the download's connection closed")) : response.end();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    response.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return !closed && response.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    drain = handler;
    response.drainHandler(handler);
    return this;
  }
}
