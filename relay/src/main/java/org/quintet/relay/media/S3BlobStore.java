package org.quintet.relay.media;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in an S3-compatible store, which the nodes of a cluster share. S3 has no append,
 * so each append is an object of its own, {@code PREFIX ID/OFFSET} with the offset in 19 digits:
 * a blob's keys list in the order of its bytes, and an append tried again at an offset puts the
 * object of that offset anew and deletes those after it. Keys hold nothing but the id and the
 * offset, objects nothing but the blob's bytes. {@link #complete} checks that the parts join up
 * and writes nothing, so the store cannot tell a complete blob from one still coming: the relay's
 * storage reads only complete ones. A read lists the parts and streams the range from them with
 * ranged GETs ({@link S3RangeRead}). The SDK's client blocks, so every call runs on a worker thread.
 */
public final class S3BlobStore implements BlobStore {
  private final Vertx vertx;
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3BlobStore(Vertx vertx, S3Config config) {
    this.vertx = vertx;
    this.s3 = config.client();
    this.bucket = config.bucket();
    this.prefix = config.prefix();
  }

  /** An object of a blob: its bytes {@code offset} to {@code offset + size - 1}. */
  private record Part(String key, long offset, long size) {
    long end() {
      return offset + size;
    }
  }

  private String keyPrefix(String id) {
    return prefix + BlobIds.checked(id) + "/";
  }

  private String key(String id, long offset) {
    return keyPrefix(id) + String.format(Locale.ROOT, "%019d", offset);
  }

  @Override
  public Future<Void> append(String id, long offset, Path part, long length) {
    return vertx.executeBlocking(() -> {
      long size = Files.size(part);
      if (size < length) {
        throw new EOFException("the part holds " + size + " bytes, fewer than " + length);
      }
      List<Part> parts = parts(id);
      long held = joined(parts, offset);
      if (held != offset) {
        throw new IllegalStateException("the blob holds " + held + " bytes, not " + offset);
      }
      s3.putObject(put -> put.bucket(bucket).key(key(id, offset)),
          RequestBody.fromContentProvider(() -> open(part, length), length, "application/octet-stream"));
      for (Part stale : parts) {
        if (stale.offset() > offset) {
          deleteObject(stale.key());
        }
      }
      return null;
    }, false);
  }

  private static FileHeadInputStream open(Path part, long length) {
    try {
      return new FileHeadInputStream(part, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Future<Void> complete(String id, long length) {
    return vertx.executeBlocking(() -> {
      List<Part> parts = parts(id);
      if (parts.isEmpty()) {
        throw new IllegalStateException("no blob to complete");
      }
      long held = joined(parts, Long.MAX_VALUE);
      if (held != length) {
        throw new IllegalStateException("the blob holds " + held + " bytes, not " + length);
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> read(String id, long from, long length, WriteStream<Buffer> out) {
    Context context = vertx.getOrCreateContext();
    return context.executeBlocking(() -> slices(id, from, length), false)
        .compose(slices -> new S3RangeRead(context, s3, bucket, slices, out).start());
  }

  private List<S3RangeRead.Slice> slices(String id, long from, long length) {
    List<Part> parts = parts(id);
    if (parts.isEmpty()) {
      throw new IllegalStateException("no such blob");
    }
    long held = joined(parts, Long.MAX_VALUE);
    long to = from + length;
    if (from < 0 || length < 0 || to > held) {
      throw new IllegalArgumentException("bytes " + from + " to " + (to - 1) + " are not all in a blob of " + held);
    }
    List<S3RangeRead.Slice> slices = new ArrayList<>();
    for (Part part : parts) {
      long start = Math.max(from, part.offset());
      long end = Math.min(to, part.end());
      if (start < end) {
        slices.add(new S3RangeRead.Slice(part.key(), start - part.offset(), end - start));
      }
    }
    return slices;
  }

  @Override
  public Future<Void> delete(String id) {
    return vertx.executeBlocking(() -> {
      for (Part part : parts(id)) {
        deleteObject(part.key());
      }
      return null;
    }, false);
  }

  /**
   * One request per object: the batch delete wants a Content-MD5 header on some servers, which the
   * SDK no longer sends.
   */
  private void deleteObject(String key) {
    s3.deleteObject(delete -> delete.bucket(bucket).key(key));
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      s3.close();
      return null;
    }, false);
  }

  /** The blob's parts in the order of their offsets, which the keys' zero-padded digits list in. */
  private List<Part> parts(String id) {
    String keyPrefix = keyPrefix(id);
    List<Part> parts = new ArrayList<>();
    for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(keyPrefix)).contents()) {
      long offset = Long.parseLong(object.key().substring(keyPrefix.length()));
      parts.add(new Part(object.key(), offset, object.size()));
    }
    return parts;
  }

  /**
   * How many bytes the parts that start below {@code limit} hold, each starting where the one
   * before it ends (the first at 0).
   */
  private static long joined(List<Part> parts, long limit) {
    long end = 0;
    for (Part part : parts) {
      if (part.offset() >= limit) {
        break;
      }
      if (part.offset() != end) {
        throw new IllegalStateException("the blob's parts leave a gap at byte " + end);
      }
      end = part.end();
    }
    return end;
  }
}
