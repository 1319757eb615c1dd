package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.quintet.client.IncomingMessage;
import org.quintet.client.LinkListener;
import org.quintet.client.LinkedAccount;
import org.quintet.client.LinkedDevice;
import org.quintet.client.MessageListener;
import org.quintet.client.QuintetClient;

/**
 * {@code link-storm}: many companions link by QR at once, each through the Java client library
 * exactly as a user's device does it (docs/linking.md): the companion opens the provisioning socket
 * and shows a URI, its primary (registered and receiving before the clock starts) provisions it,
 * the companion counter-signs, registers itself, takes a token and connects; the primary signs the
 * new device list and sends the history. A primary with several companions links them one after
 * another, as one person scanning codes does.
 */
final class LinkStorm {
  /** Registrations in flight while the primaries are set up: enough to keep the relay busy. */
  private static final int SETUP_WIDTH = 16;
  private static final int MAX_COMPANIONS = 4;
  private final Vertx vertx;
  private final int companions;
  private final int perPrimary;

  /**
   * Per companion, nanoseconds from opening its provisioning socket to holding a token and a
   * delivery connection ({@code linked}), and to its primary having signed it into the device list
   * and sent the history ({@code listed}); links per second over the whole storm, and the CPU time
   * the relay and the load generator (every client) each used during it.
   */
  record Result(int companions, int primaries, long[] linked, long[] listed, double seconds, double relayCpuSeconds,
      double clientCpuSeconds) {
    double linksPerSecond() {
      return companions / seconds;
    }

    JsonObject toJson() {
      return new JsonObject().put("companions", companions).put("primaries", primaries)
          .put("linksPerSecond", linksPerSecond()).put("seconds", seconds).put("relayCpuSeconds", relayCpuSeconds)
          .put("clientCpuSeconds", clientCpuSeconds).put("timeToLinked", percentiles(linked))
          .put("timeToListed", percentiles(listed));
    }

    private static JsonObject percentiles(long[] sorted) {
      return new JsonObject().put("p50Ms", Deliveries.percentileMs(sorted, 0.50))
          .put("p99Ms", Deliveries.percentileMs(sorted, 0.99)).put("maxMs", Deliveries.percentileMs(sorted, 1));
    }
  }

  /** One companion's times, filled in as its link goes. */
  private static final class Timing {
    long opened;
    long linked;
    long listed;
  }

  LinkStorm(Vertx vertx, int companions, int perPrimary) {
    if (perPrimary < 1 || perPrimary > MAX_COMPANIONS) {
      throw new IllegalArgumentException("--per-primary is 1 to " + MAX_COMPANIONS + ", the relay's companion limit");
    }
    this.vertx = vertx;
    this.companions = companions;
    this.perPrimary = perPrimary;
  }

  /** Blocks: opening and closing clients touches their homes. */
  Result run(RelayEndpoint relay) throws Exception {
    int primaries = (companions + perPrimary - 1) / perPrimary;
    // Homes in memory where there is a tmpfs: each client syncs its home on every save, and the
    // relay's own fsyncs, not the load generator's, are what this scenario is about.
    Path shm = Path.of("/dev/shm");
    Path homes = Files.isDirectory(shm) ? Files.createTempDirectory(shm, "quintet-bench-link")
        : Files.createTempDirectory("quintet-bench-link");
    String url = "http://127.0.0.1:" + relay.http().port();
    List<QuintetClient> clients = new ArrayList<>();
    try {
      List<QuintetClient> phones = new ArrayList<>();
      for (int p = 0; p < primaries; p++) {
        phones.add(open(clients, homes.resolve("primary-" + p), url));
      }
      List<String> numbers = IntStream.range(0, primaries).mapToObj(p -> String.format("+1555%07d", 300_001 + p))
          .toList();
      RelayBench.await(Parallel.each(IntStream.range(0, primaries).boxed().toList(), SETUP_WIDTH,
          p -> register(relay, phones.get(p), numbers.get(p))));
      System.out.printf("  %d primaries registered and receiving%n", primaries);
      List<List<QuintetClient>> laptops = new ArrayList<>();
      for (int p = 0; p < primaries; p++) {
        List<QuintetClient> own = new ArrayList<>();
        for (int c = p * perPrimary; c < Math.min(companions, (p + 1) * perPrimary); c++) {
          own.add(open(clients, homes.resolve("companion-" + c), url));
        }
        laptops.add(own);
      }
      Timing[] timings = IntStream.range(0, companions).mapToObj(c -> new Timing()).toArray(Timing[]::new);
      ProcessHandle server = ProcessHandle.of(relay.process().pid()).orElseThrow();
      double relayCpu = cpuSeconds(server);
      double clientCpu = cpuSeconds(ProcessHandle.current());
      long start = System.nanoTime();
      RelayBench.await(Future.all(IntStream.range(0, primaries)
          .mapToObj(p -> linkInTurn(phones.get(p), laptops.get(p), timings, p * perPrimary, 0)).toList()));
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(companions, primaries, sorted(timings, t -> t.linked - t.opened),
          sorted(timings, t -> t.listed - t.opened), seconds, cpuSeconds(server) - relayCpu,
          cpuSeconds(ProcessHandle.current()) - clientCpu);
    } finally {
      for (QuintetClient client : clients) {
        client.close();
      }
      // The homes may be in memory: they go with the run.
      Directories.deleteTree(homes);
    }
  }

  /** Opened off the event loops: each client takes a context of its own, spread over the loops. */
  private QuintetClient open(List<QuintetClient> clients, Path home, String url) throws IOException {
    QuintetClient client = QuintetClient.open(vertx, home, url);
    clients.add(client);
    return client;
  }

  private Future<Void> register(RelayEndpoint relay, QuintetClient phone, String number) {
    return phone.register(number)
        .compose(lifetime -> Future.fromCompletionStage(relay.process().code(number)))
        .compose(code -> phone.verify(code, "bench phone", "bench"))
        .compose(v -> phone.receive(Quiet.LISTENER));
  }

  /** The primary's companions, one after another from {@code index}. */
  private Future<Void> linkInTurn(QuintetClient phone, List<QuintetClient> own, Timing[] timings, int first,
      int index) {
    if (index == own.size()) {
      return Future.succeededFuture();
    }
    return link(phone, own.get(index), timings[first + index], "companion " + (first + index))
        .compose(v -> linkInTurn(phone, own, timings, first, index + 1));
  }

  /**
   * One QR link. The primary takes the first URI the companion shows, as a user scans the code on
   * the screen; both sides' futures must succeed.
   */
  private Future<Void> link(QuintetClient phone, QuintetClient laptop, Timing timing, String name) {
    Promise<LinkedDevice> listed = Promise.promise();
    LinkListener scanner = new Quiet() {
      private boolean scanned;

      @Override
      public void onLinkUri(String uri) {
        if (!scanned) {
          scanned = true;
          phone.linkDevice(uri).onComplete(listed);
        }
      }
    };
    timing.opened = System.nanoTime();
    Future<LinkedAccount> linked = laptop.linkAsCompanion(name, "bench", scanner)
        .onSuccess(account -> timing.linked = System.nanoTime());
    return Future.all(linked, listed.future().onSuccess(device -> timing.listed = System.nanoTime())).mapEmpty();
  }

  private static double cpuSeconds(ProcessHandle process) {
    return process.info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
  }

  private interface Span {
    long nanos(Timing timing);
  }

  private static long[] sorted(Timing[] timings, Span span) {
    long[] values = Arrays.stream(timings).mapToLong(span::nanos).toArray();
    Arrays.sort(values);
    return values;
  }

  /** A device that shows nothing: the benchmark only times the link. */
  private static class Quiet implements LinkListener {
    static final MessageListener LISTENER = new Quiet();

    @Override
    public void onMessage(IncomingMessage message) {}
  }
}
