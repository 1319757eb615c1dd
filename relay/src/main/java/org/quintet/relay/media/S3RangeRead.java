package org.quintet.relay.media;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * One read of a blob's bytes from S3 into a write stream: slices of the blob's objects in order,
 * each fetched with a ranged GET that a worker thread reads a chunk at a time, each chunk written
 * on the reader's context. The next chunk is read only once the stream's queue has room, so a slow
 * reader keeps a response open, but no thread busy and no more than a chunk in memory.
 */
final class S3RangeRead {
  private static final int CHUNK = 64 * 1024;

  /** Bytes {@code start} to {@code start + length - 1} of the object {@code key}. */
  record Slice(String key, long start, long length) {}

  private final Context context;
  private final S3Client s3;
  private final String bucket;
  private final Deque<Slice> slices;
  private final WriteStream<Buffer> out;
  private final Promise<Void> done = Promise.promise();

  // A worker's while it reads a chunk, the context's between chunks: the response of the first
  // slice, and how much of that slice has been read.
  private ResponseInputStream<GetObjectResponse> body;
  private long sliceRead;

  // The context's.
  private boolean reading;
  private boolean waitingForDrain;
  private Throwable writeFailure;
  private boolean finished;

  S3RangeRead(Context context, S3Client s3, String bucket, List<Slice> slices, WriteStream<Buffer> out) {
    this.context = context;
    this.s3 = s3;
    this.bucket = bucket;
    this.slices = new ArrayDeque<>(slices);
    this.out = out;
  }

  /** Starts, on the context; the future tells when every byte is written to the stream, or why not. */
  Future<Void> start() {
    out.drainHandler(v -> context.runOnContext(x -> drained()));
    next();
    return done.future();
  }

  private void next() {
    if (finished) {
      return;
    }
    if (slices.isEmpty()) {
      finish(null);
      return;
    }
    reading = true;
    context.executeBlocking(this::readChunk, false).onComplete(chunk -> {
      reading = false;
      if (chunk.failed()) {
        finish(chunk.cause());
      } else if (writeFailure != null) {
        finish(writeFailure);
      } else {
        write(chunk.result());
      }
    });
  }

  private void write(Buffer chunk) {
    try {
      out.write(chunk).onFailure(cause -> context.runOnContext(v -> writeFailed(cause)));
    } catch (RuntimeException e) {
      finish(e);
      return;
    }
    if (out.writeQueueFull()) {
      waitingForDrain = true;
    } else {
      next();
    }
  }

  private void drained() {
    if (waitingForDrain) {
      waitingForDrain = false;
      next();
    }
  }

  /**
   * While a chunk is being read, its arrival finishes the read; while the read waits for a drain,
   * which a failed stream may never give, this does.
   */
  private void writeFailed(Throwable cause) {
    if (writeFailure == null) {
      writeFailure = cause;
    }
    if (!reading) {
      finish(cause);
    }
  }

  private void finish(Throwable failure) {
    if (finished) {
      return;
    }
    finished = true;
    waitingForDrain = false;
    out.drainHandler(null);
    ResponseInputStream<GetObjectResponse> open = body;
    body = null;
    Future<Void> released = open == null ? Future.succeededFuture() : context.executeBlocking(() -> {
      // Dropping the connection: closing would first read the rest of the response.
      open.abort();
      return null;
    }, false);
    released.onComplete(ignored -> {
      if (failure == null) {
        done.complete();
      } else {
        done.fail(failure);
      }
    });
  }

  /** On a worker: the next chunk of the first slice, which it drops once read whole. */
  private Buffer readChunk() throws IOException {
    Slice slice = slices.getFirst();
    int wanted = (int) Math.min(CHUNK, slice.length() - sliceRead);
    byte[] chunk = null;
    if (body != null) {
      try {
        chunk = readFully(body, wanted);
      } catch (IOException | SdkException dropped) {
        // The server may drop a response that was left unread while the reader was slow: ask
        // again for the rest of the slice.
        body.abort();
        body = null;
      }
    }
    if (chunk == null) {
      body = get(slice, sliceRead);
      chunk = readFully(body, wanted);
    }
    sliceRead += chunk.length;
    if (sliceRead == slice.length()) {
      body.close();
      body = null;
      sliceRead = 0;
      slices.removeFirst();
    }
    return Buffer.buffer(chunk);
  }

  private ResponseInputStream<GetObjectResponse> get(Slice slice, long skip) throws IOException {
    long first = slice.start() + skip;
    long last = slice.start() + slice.length() - 1;
    ResponseInputStream<GetObjectResponse> response =
        s3.getObject(get -> get.bucket(bucket).key(slice.key()).range("bytes=" + first + "-" + last));
    Long length = response.response().contentLength();
    if (length != null && length != last - first + 1) {
      // A server that ignores the range sends the whole object, which would pass for the range.
      response.abort();
      throw new IOException("asked for " + (last - first + 1) + " bytes of an object, got " + length);
    }
    return response;
  }

  private static byte[] readFully(ResponseInputStream<GetObjectResponse> body, int length) throws IOException {
    byte[] chunk = body.readNBytes(length);
    if (chunk.length < length) {
      throw new EOFException("the object ended " + (length - chunk.length) + " bytes early");
    }
    return chunk;
  }
}
