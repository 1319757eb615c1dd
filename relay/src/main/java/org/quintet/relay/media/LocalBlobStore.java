package org.quintet.relay.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Blobs as files in the relay's data directory (the default store): {@code blobs/xy/ID} for a
 * complete blob, {@code blobs/xy/ID.upload} while it comes (xy: the id's first two characters, so
 * that no directory grows too large). Each append is synced before it is acknowledged; the last
 * one renames the upload to its final name, and the directory is synced after each change of
 * names, so that an acknowledged blob survives a crash whole.
 */
public final class LocalBlobStore implements BlobStore {
  private static final String UPLOAD_SUFFIX = ".upload";

  private final Vertx vertx;
  private final Path root;

  /** Blobs under {@code root}: {@code DATA/blobs} unless the operator named another directory. */
  public LocalBlobStore(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root;
  }

  private Path complete(String id) {
    String checked = BlobIds.checked(id);
    return root.resolve(checked.substring(0, 2)).resolve(checked);
  }

  private Path upload(String id) {
    Path done = complete(id);
    return done.resolveSibling(done.getFileName() + UPLOAD_SUFFIX);
  }

  @Override
  public Future<Void> append(String id, long offset, Path part, long length) {
    return vertx.executeBlocking(() -> {
      Path upload = upload(id);
      boolean created = !Files.exists(upload);
      if (created) {
        Files.createDirectories(upload.getParent());
      }
      try (FileChannel out = FileChannel.open(upload, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
        if (out.size() < offset) {
          throw new IllegalStateException("the blob holds " + out.size() + " bytes, fewer than " + offset);
        }
        out.truncate(offset);
        long copied = 0;
        while (copied < length) {
          long n = out.transferFrom(in, offset + copied, length - copied);
          if (n <= 0) {
            throw new EOFException("the part ended after " + copied + " of " + length + " bytes");
          }
          copied += n;
        }
        out.force(true);
      }
      if (created) {
        syncDirectory(upload.getParent());
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> complete(String id, long length) {
    return vertx.executeBlocking(() -> {
      Path upload = upload(id);
      Path done = complete(id);
      if (Files.exists(upload)) {
        long size = Files.size(upload);
        if (size != length) {
          throw new IllegalStateException("the blob holds " + size + " bytes, not " + length);
        }
        Files.move(upload, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(done.getParent());
      } else if (!Files.exists(done)) {
        throw new IllegalStateException("no blob to complete");
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> read(String id, long from, long length, WriteStream<Buffer> out) {
    Path file;
    try {
      file = complete(id);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (length == 0) {
      return Future.succeededFuture();
    }
    return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
        .compose(opened -> {
          opened.setReadPos(from).setReadLength(length);
          return opened.pipe().endOnSuccess(false).endOnFailure(false).to(out)
              .eventually(opened::close);
        });
  }

  @Override
  public Future<Void> delete(String id) {
    return vertx.executeBlocking(() -> {
      Files.deleteIfExists(upload(id));
      Files.deleteIfExists(complete(id));
      return null;
    }, false);
  }

  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
