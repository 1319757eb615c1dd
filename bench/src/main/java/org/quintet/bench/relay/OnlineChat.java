package org.quintet.bench.relay;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.ProtocolException;

/**
 * {@code online-chat}: every device online; account i's primary writes to account i+1, each send
 * fanned out to the recipient's devices and the sender's companions. The rate doubles until the
 * endpoint stops keeping up; then one more step at half the saturated rate gives the latency a
 * server shows under ordinary load. Over several relay nodes, account i's devices take the nodes in
 * turn starting with node i, so that most of a send's envelopes cross from the sender's node to
 * another, and only those are counted.
 */
final class OnlineChat {
  private static final double WARM_UP_SECONDS = 10;
  private final Vertx vertx;
  private final Settings settings;
  private final int nodes;
  private final List<Account> accounts;
  private final List<Conversation> conversations = new ArrayList<>();

  /** The levels and their sizes. */
  record Settings(int accounts, int companions, double firstRate, double maxRate, double warmSeconds,
      double measureSeconds) {}

  /** One endpoint's steps, its saturation (most envelopes per second delivered) and the half-load step. */
  record Result(String endpoint, List<Step> steps, double saturation, Step half) {}

  OnlineChat(Vertx vertx, Settings settings) throws ProtocolException {
    this(vertx, settings, 1, 1);
  }

  /** {@code firstIndex} keeps the numbers apart from another instance's on the same storage. */
  OnlineChat(Vertx vertx, Settings settings, int nodes, int firstIndex) throws ProtocolException {
    this.vertx = vertx;
    this.settings = settings;
    this.nodes = nodes;
    KeySource source = KeySource.secure();
    this.accounts = Account.make(source, settings.accounts(), settings.companions(), firstIndex);
    for (int i = 0; i < accounts.size(); i++) {
      List<Device> devices = accounts.get(i).devices;
      for (int d = 0; d < devices.size(); d++) {
        devices.get(d).node = (i + d) % nodes;
      }
    }
    for (int i = 0; i < accounts.size(); i++) {
      conversations.add(new Conversation(source, accounts.get(i), accounts.get((i + 1) % accounts.size())));
    }
  }

  /** Counted envelopes per send: all of them on one node, the cross-node ones on several. */
  int fanOut() {
    Conversation first = conversations.get(0);
    return nodes > 1 ? first.crossNodeFanOut() : first.fanOut();
  }

  /** Every envelope of a send, counted or not. */
  int allFanOut() {
    return conversations.get(0).fanOut();
  }

  int devices() {
    return accounts.size() * (settings.companions() + 1);
  }

  Future<Result> run(Endpoint endpoint) {
    Deliveries deliveries = new Deliveries(nodes > 1);
    WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
    List<WebSocket> open = new ArrayList<>();
    Context context = vertx.getOrCreateContext();
    LoadStep load = new LoadStep(vertx, context, endpoint, conversations, deliveries);
    List<Device> devices = accounts.stream().flatMap(a -> a.devices.stream()).toList();
    return endpoint.provision(accounts)
        .compose(v -> Parallel.each(devices, 64, device -> DeliverySocket
            .connect(sockets, endpoint.http(device).port(), device, deliveries).onSuccess(open::add)))
        // A level run and thrown away: the first measured level should not be the JIT's warm-up.
        .compose(v -> load.run(endpoint.name(), settings.firstRate(), WARM_UP_SECONDS, 1))
        .compose(v -> climb(endpoint.name(), load, settings.firstRate(), new ArrayList<>()))
        .compose(steps -> {
          double saturation = steps.stream().mapToDouble(Step::deliveredPerSecond).max().orElse(0);
          double halfRate = saturation / 2 / fanOut();
          System.out.printf("  %s: half of saturation, %.0f messages/s%n", endpoint.name(), halfRate);
          return load.run(endpoint.name(), halfRate, settings.warmSeconds(), settings.measureSeconds())
              .map(half -> new Result(endpoint.name(), steps, saturation, half));
        })
        .onComplete(done -> {
          open.forEach(WebSocket::close);
          sockets.close();
        });
  }

  private Future<List<Step>> climb(String name, LoadStep load, double rate, List<Step> steps) {
    return load.run(name, rate, settings.warmSeconds(), settings.measureSeconds()).compose(step -> {
      steps.add(step);
      System.out.printf("  %s: %6.0f msg/s offered, %6.0f sent, %7.0f envelopes/s delivered, p50 %.2f p99 %.2f"
          + " p999 %.2f ms%s%n", name, step.targetMessagesPerSecond(), step.sentMessagesPerSecond(),
          step.deliveredPerSecond(), step.p50Ms(), step.p99Ms(), step.p999Ms(),
          step.failedSends() > 0 ? ", " + step.failedSends() + " failed" : "");
      if (!step.keptUp(fanOut()) || rate * 2 > settings.maxRate()) {
        return Future.succeededFuture(steps);
      }
      return climb(name, load, rate * 2, steps);
    });
  }
}
