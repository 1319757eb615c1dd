package org.quintet.relay.media;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;

/**
 * Where the bytes of attachment blobs live (docs/storage.md, "Blobs"): encrypted blobs the relay
 * cannot read, each under an unguessable id. The store keeps bytes only; whose a blob is, how long
 * it is, how much of it has come and until when it lives are the relay's storage's
 * ({@code RelayStorage}), which decides every call made here. Futures complete on the caller's
 * context. {@code BlobStoreContract} is the executable form of this contract.
 */
public interface BlobStore {

  /**
   * Appends the first {@code length} bytes of the file {@code part} to blob {@code id}, which holds
   * {@code offset} bytes so far (0: a blob not yet held). Durable when the future succeeds. Bytes an
   * earlier append wrote past {@code offset} (one whose success was never recorded) are replaced,
   * so an append can be tried again at the same offset.
   */
  Future<Void> append(String id, long offset, Path part, long length);

  /** The blob of {@code length} bytes has all its bytes: it is read from now on, never appended to. */
  Future<Void> complete(String id, long length);

  /**
   * Writes bytes {@code from} to {@code from + length - 1} of a completed blob to {@code out},
   * minding its write queue, and does not end it. Fails for a blob the store does not hold.
   */
  Future<Void> read(String id, long from, long length, WriteStream<Buffer> out);

  /** Deletes the blob, complete or not; a blob the store does not hold is no error. */
  Future<Void> delete(String id);

  /** Releases what the store holds open (clients, threads). */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
