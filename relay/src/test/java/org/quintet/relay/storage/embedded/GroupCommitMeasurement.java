package org.quintet.relay.storage.embedded;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.quintet.relay.storage.QueuedEnvelope;
import org.sqlite.SQLiteConfig;

/**
 * Measures what durable queueing costs on the disk at hand (docs/storage.md has the figures and
 * the command): commits of 1, 16 and 256 envelopes of 300 bytes straight on a connection, and
 * {@link SqliteStorage#enqueue} with 1, 16 and 256 concurrent callers, whose writes the group
 * commit gathers. Disks vary from minute to minute, so the scenarios take turns for a few rounds
 * and the median is printed with the range. Not a unit test: run it by hand.
 *
 * <p>Arguments: a directory on the disk to measure (it must not exist yet), then optionally the
 * number of rounds (3) and the seconds measured per scenario (5, after 2 of warm-up).
 */
public final class GroupCommitMeasurement {
  private static final int ENVELOPE_SIZE = 300;
  private static final int[] SIZES = {1, 16, 256};
  private static final String NUMBER = "+15550000001";
  private static final long WARM_UP_NANOS = 2_000_000_000L;

  private final Path base;
  private final long measureNanos;
  private final byte[] content = new byte[ENVELOPE_SIZE];
  private final Map<String, List<double[]>> results = new LinkedHashMap<>();
  private int runs;

  private GroupCommitMeasurement(Path base, long measureNanos) {
    this.base = base;
    this.measureNanos = measureNanos;
  }

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    if (Files.exists(base)) {
      throw new IllegalArgumentException(base + " exists; give a directory to create");
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long seconds = args.length > 2 ? Long.parseLong(args[2]) : 5;
    GroupCommitMeasurement measurement = new GroupCommitMeasurement(base, seconds * 1_000_000_000L);
    for (int round = 1; round <= rounds; round++) {
      for (int size : SIZES) {
        measurement.commits(size, true);
        measurement.commits(size, false);
      }
      for (int callers : SIZES) {
        measurement.storage(callers);
      }
      System.err.println("round " + round + " of " + rounds + " done");
    }
    measurement.print();
    System.exit(0);
  }

  /** One thread committing batches of {@code size} envelopes, as fast as the disk lets it. */
  private void commits(int size, boolean full) throws Exception {
    Path file = nextDirectory().resolve(SqliteStorage.FILE_NAME);
    try (Connection connection = full ? Connections.writer(file) : normalSync(file)) {
      Schema.prepare(connection);
      List<QueuedEnvelope> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        batch.add(new QueuedEnvelope(NUMBER, 1 + i % 5, content, Long.MAX_VALUE));
      }
      long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
      while (System.nanoTime() < warmUpEnd) {
        commit(connection, batch);
      }
      long commits = 0;
      long start = System.nanoTime();
      long now;
      do {
        commit(connection, batch);
        commits++;
        now = System.nanoTime();
      } while (now - start < measureNanos);
      double seconds = (now - start) / 1e9;
      record("commits of " + size + (full ? ", synchronous=FULL" : ", synchronous=NORMAL"), commits * size / seconds,
          commits / seconds, size, Double.NaN, Double.NaN);
    }
  }

  private static void commit(Connection connection, List<QueuedEnvelope> batch) throws Exception {
    Sql.execute(connection, "BEGIN IMMEDIATE");
    EnvelopeTable.append(connection, batch);
    Sql.execute(connection, "COMMIT");
  }

  /** The reference that is not durable: NORMAL syncs the WAL only at checkpoints. */
  private static Connection normalSync(Path file) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
  }

  /** {@code callers} loops on one event loop, each enqueueing one envelope as soon as its last one is durable. */
  private void storage(int callers) throws Exception {
    Vertx vertx = Vertx.vertx();
    SqliteStorage storage = SqliteStorage.open(vertx, nextDirectory()).toCompletionStage().toCompletableFuture().get();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stopping = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(callers);
    List<Long> latencies = new ArrayList<>();
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      if (stopping.get()) {
        stopped.countDown();
        return;
      }
      long started = System.nanoTime();
      storage.enqueue(List.of(new QueuedEnvelope(NUMBER, 1, content, Long.MAX_VALUE))).onComplete(result -> {
        if (result.failed()) {
          result.cause().printStackTrace();
          System.exit(1);
        }
        if (measuring.get()) {
          latencies.add(System.nanoTime() - started);
        }
        loop[0].run();
      });
    };
    vertx.runOnContext(ignored -> {
      for (int i = 0; i < callers; i++) {
        loop[0].run();
      }
    });
    Thread.sleep(WARM_UP_NANOS / 1_000_000);
    AtomicLong commitsBefore = new AtomicLong();
    long start = System.nanoTime();
    vertx.runOnContext(ignored -> {
      commitsBefore.set(storage.commitCount());
      measuring.set(true);
    });
    Thread.sleep(measureNanos / 1_000_000);
    CountDownLatch read = new CountDownLatch(1);
    double[] row = new double[5];
    vertx.runOnContext(ignored -> {
      measuring.set(false);
      double seconds = (System.nanoTime() - start) / 1e9;
      long commits = storage.commitCount() - commitsBefore.get();
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      row[0] = sorted.length / seconds;
      row[1] = commits / seconds;
      row[2] = (double) sorted.length / commits;
      row[3] = sorted[sorted.length / 2] / 1e3;
      row[4] = sorted[(int) (sorted.length * 0.99)] / 1e3;
      stopping.set(true);
      read.countDown();
    });
    read.await();
    stopped.await();
    storage.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    record("SqliteStorage.enqueue, " + callers + " callers", row);
  }

  private Path nextDirectory() throws Exception {
    return Files.createDirectories(base.resolve("run-" + runs++));
  }

  private void record(String scenario, double... row) {
    results.computeIfAbsent(scenario, key -> new ArrayList<>()).add(row);
  }

  private void print() {
    System.out.printf("%-44s %-22s %-18s %10s %8s %8s%n", "scenario (median, range)", "envelopes/s", "commits/s",
        "env/commit", "p50 ms", "p99 ms");
    results.forEach((scenario, rows) -> System.out.printf("%-44s %-22s %-18s %10.1f %8s %8s%n", scenario,
        range(rows, 0), range(rows, 1), median(rows, 2), millis(median(rows, 3)), millis(median(rows, 4))));
  }

  private static String range(List<double[]> rows, int column) {
    double[] values = rows.stream().mapToDouble(row -> row[column]).sorted().toArray();
    return String.format("%.0f (%.0f-%.0f)", values[values.length / 2], values[0], values[values.length - 1]);
  }

  /** Microseconds as milliseconds; "-" where a scenario has no latencies. */
  private static String millis(double micros) {
    return Double.isNaN(micros) ? "-" : String.format("%.2f", micros / 1e3);
  }

  private static double median(List<double[]> rows, int column) {
    double[] values = rows.stream().mapToDouble(row -> row[column]).sorted().toArray();
    return values[values.length / 2];
  }
}
