package org.quintet.relay.storage.embedded;

import io.vertx.core.Vertx;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.quintet.relay.storage.QueuedEnvelope;

/**
 * The process that {@link SqliteStorageTest} kills: it keeps {@value #IN_FLIGHT} enqueue calls
 * going, each one envelope for each of two devices, and prints {@code acked ID} as soon as a call
 * succeeds. Each line is one write to stdout, so a line the parent reads is a whole line.
 */
public final class EnqueueUntilKilled {
  static final String NUMBER = "+15550000042";
  static final String ACKED = "acked ";
  static final int ENVELOPE_SIZE = 300;

  private static final int IN_FLIGHT = 64;
  /** A bound in case the parent never kills this process. */
  private static final long MAX_IDS = 200_000;

  private final SqliteStorage storage;
  private final FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
  private final AtomicLong nextId = new AtomicLong();

  private EnqueueUntilKilled(SqliteStorage storage) {
    this.storage = storage;
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    SqliteStorage storage = SqliteStorage.open(vertx, Path.of(args[0])).toCompletionStage().toCompletableFuture().get();
    EnqueueUntilKilled writer = new EnqueueUntilKilled(storage);
    vertx.runOnContext(ignored -> {
      for (int i = 0; i < IN_FLIGHT; i++) {
        writer.enqueueNext();
      }
    });
  }

  private void enqueueNext() {
    long id = nextId.getAndIncrement();
    if (id >= MAX_IDS) {
      System.exit(0);
    }
    storage.enqueue(List.of(envelope(1, id), envelope(2, id)))
        .onSuccess(ignored -> {
          print(ACKED + id + "\n");
          enqueueNext();
        })
        .onFailure(failure -> {
          failure.printStackTrace();
          System.exit(1);
        });
  }

  /** An envelope of {@value #ENVELOPE_SIZE} bytes that starts with its id. */
  static QueuedEnvelope envelope(long deviceId, long id) {
    byte[] content = new byte[ENVELOPE_SIZE];
    ByteBuffer.wrap(content).putLong(id);
    return new QueuedEnvelope(NUMBER, deviceId, content, Long.MAX_VALUE);
  }

  static long id(byte[] envelope) {
    return ByteBuffer.wrap(envelope).getLong();
  }

  private void print(String line) {
    try {
      stdout.write(line.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
