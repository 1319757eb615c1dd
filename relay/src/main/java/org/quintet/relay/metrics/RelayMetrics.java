package org.quintet.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.quintet.relay.limits.Limiter;

/**
 * Every meter of the relay, each named once here and listed in docs/operations.md. Prometheus sees
 * them as {@code quintet_*} (dots become underscores, counters end in {@code _total}, timers in
 * {@code _seconds}). A label only ever takes the values of one of the enums below: never a number,
 * a device, a token or anything else of a user's, so that no meter grows with the users.
 *
 * <p>With metrics off the meters are those of an empty composite registry, which record nothing:
 * the code that counts is the same either way.
 */
public final class RelayMetrics {
  // --- the names -------------------------------------------------------------------------------

  static final String CONNECTED_DEVICES = "quintet.connected.devices";
  static final String CONNECTIONS_OPENED = "quintet.delivery.connections.opened";
  static final String CONNECTIONS_CLOSED = "quintet.delivery.connections.closed";
  static final String ENVELOPES_QUEUED = "quintet.envelopes.queued";
  static final String ENVELOPES_DELIVERED = "quintet.envelopes.delivered";
  static final String ENVELOPES_ACKNOWLEDGED = "quintet.envelopes.acknowledged";
  static final String QUEUE_DEPTH = "quintet.queue.depth";
  static final String SEND_DURATION = "quintet.send.duration";
  static final String STORAGE_COMMIT_DURATION = "quintet.storage.commit.duration";
  static final String READY = "quintet.ready";
  static final String REDIS_ERRORS = "quintet.redis.errors";
  static final String REDIS_RECONNECTS = "quintet.redis.reconnects";
  static final String LINKS_STARTED = "quintet.link.started";
  static final String LINKS_COMPLETED = "quintet.link.completed";
  static final String LINKS_REFUSED = "quintet.link.refused";
  static final String CODES_SENT = "quintet.verification.codes.sent";
  static final String VERIFICATIONS = "quintet.verifications";
  static final String RATE_LIMITED = "quintet.rate.limited";
  /** The category vertx-redis-client reports its client meters under. */
  private static final String REDIS_CLIENT_METRICS = "redis";

  // --- the label values ---------------------------------------------------------------------------

  /** Why an envelope entered a queue: a device sent it, or the relay made a delivery receipt. */
  public enum Origin { SEND, RECEIPT }

  /** How a send request was answered. */
  public enum SendOutcome {
    /** 200: every envelope is durable. */
    OK,
    /** 409 DEVICE_MISMATCH: the client refreshes its lists and tries again. */
    MISMATCH,
    /** Any other refusal (4xx). */
    REFUSED,
    /** The relay failed (5xx), e.g. its storage did not answer. */
    FAILED
  }

  /** The storage whose durable writes a commit timer measures. */
  public enum StorageBackend { SQLITE, REDIS }

  /** A call to Redis that failed. */
  public enum RedisError {
    /** The connection failed under the call. */
    CONNECTION,
    /** Redis answered with an error (other than a script refusal or a script it must be sent). */
    REPLY,
    /** Refused at once: Redis was known to be unreachable. */
    UNAVAILABLE
  }

  /** Which connection to Redis came back. */
  public enum RedisConnection {
    /** Commands (storage, presence, publishing): a probe got an answer again. */
    COMMANDS,
    /** The subscriber connection: every channel is subscribed again. */
    SUBSCRIPTIONS
  }

  /** How a link started. */
  public enum LinkMethod { QR, CODE }

  /** Where a link attempt stopped, and why: the step is one label, the reason another. */
  public enum LinkRefusal {
    /** The primary sent a provisioning message to an address nobody waits at (an old QR code). */
    QR_UNKNOWN_ADDRESS("qr"),
    /** Too many pairing requests for one number. */
    CODE_RATE_LIMITED("code"),
    /** The companion reported a wrong code (one per code typed). */
    CODE_WRONG_CODE("code"),
    /** The request ended after too many wrong codes. */
    CODE_TOO_MANY_WRONG_CODES("code"),
    /** The request ended unanswered. */
    CODE_EXPIRED("code"),
    /** The companion went away before the request ended. */
    CODE_CANCELLED("code"),
    /** The companion's registration ({@code POST /v1/devices/link}) was refused: ... */
    ADMIT_INVALID_CERT("admit"),
    ADMIT_TOO_MANY_DEVICES("admit"),
    ADMIT_DEVICE_ID_TAKEN("admit"),
    ADMIT_ACCOUNT_REPLACED("admit"),
    ADMIT_INVALID_REQUEST("admit"),
    /** ... or the relay failed to handle it. */
    ADMIT_FAILED("admit");

    private final String step;

    LinkRefusal(String step) {
      this.step = step;
    }

    String step() {
      return step;
    }

    String reason() {
      return label(this).substring(step.length() + 1);
    }
  }

  /** How a registration code was checked. */
  public enum VerificationOutcome { VERIFIED, WRONG_CODE, NO_PENDING_CODE, TOO_MANY_ATTEMPTS, FAILED }

  /**
   * The histograms' buckets, so that a p99 can be computed across nodes (histogram_quantile): a
   * dozen, from a send answered at once to one that waited out a slow disk or a Redis failover.
   */
  private static final Duration[] SEND_BUCKETS = millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000);
  /** A group commit's disk sync takes from tenths of a millisecond (a cache) to tens (a spinning disk). */
  private static final Duration[] COMMIT_BUCKETS = millis(0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000, 10_000);

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final Counter connectionsOpened;
  private final Counter connectionsClosed;
  private final Map<Origin, Counter> queued;
  private final Counter delivered;
  private final Counter acknowledged;
  private final Map<SendOutcome, Timer> sends;
  private final Map<StorageBackend, Timer> commits;
  private final Map<RedisError, Counter> redisErrors;
  private final Map<RedisConnection, Counter> redisReconnects;
  private final Map<LinkMethod, Counter> linksStarted;
  private final Counter linksCompleted;
  private final Map<LinkRefusal, Counter> linksRefused;
  private final Map<VerificationOutcome, Counter> verifications;
  private final Map<Limiter, Counter> rateLimited;

  private RelayMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
    connectionsOpened = Counter.builder(CONNECTIONS_OPENED)
        .description("Delivery WebSockets this node accepted").register(registry);
    connectionsClosed = Counter.builder(CONNECTIONS_CLOSED)
        .description("Delivery WebSockets of this node that closed, for any reason").register(registry);
    queued = each(Origin.class, origin -> Counter.builder(ENVELOPES_QUEUED)
        .description("Envelopes this node made durable in a queue: sent by a device, or delivery receipts")
        .tag("origin", label(origin)).register(registry));
    delivered = Counter.builder(ENVELOPES_DELIVERED)
        .description("Envelopes this node wrote to a device's socket (a resend after a reconnect counts again)")
        .register(registry);
    acknowledged = Counter.builder(ENVELOPES_ACKNOWLEDGED)
        .description("Envelopes devices acknowledged on this node, so that they left their queue")
        .register(registry);
    sends = each(SendOutcome.class, outcome -> Timer.builder(SEND_DURATION)
        .description("POST /v1/messages from the request to the answer, by how it was answered")
        .tag("outcome", label(outcome)).serviceLevelObjectives(SEND_BUCKETS).register(registry));
    commits = each(StorageBackend.class, backend -> Timer.builder(STORAGE_COMMIT_DURATION)
        .description("One durable write step of the storage: a group commit of SQLite (with its disk sync), "
            + "or one write script's round trip to Redis")
        .tag("backend", label(backend)).serviceLevelObjectives(COMMIT_BUCKETS).register(registry));
    redisErrors = each(RedisError.class, kind -> Counter.builder(REDIS_ERRORS)
        .description("Calls to Redis that failed, by kind").tag("kind", label(kind)).register(registry));
    redisReconnects = each(RedisConnection.class, connection -> Counter.builder(REDIS_RECONNECTS)
        .description("Times this node got a connection to Redis back after losing it")
        .tag("connection", label(connection)).register(registry));
    linksStarted = each(LinkMethod.class, method -> Counter.builder(LINKS_STARTED)
        .description("Link attempts: a provisioning message reached a companion (qr), or a pairing request "
            + "reached the primary (code)").tag("method", label(method)).register(registry));
    linksCompleted = Counter.builder(LINKS_COMPLETED)
        .description("Companions admitted to an account (POST /v1/devices/link)").register(registry);
    linksRefused = each(LinkRefusal.class, refusal -> Counter.builder(LINKS_REFUSED)
        .description("Link attempts that stopped, by step (qr, code, admit) and reason")
        .tag("step", refusal.step()).tag("reason", refusal.reason()).register(registry));
    verifications = each(VerificationOutcome.class, outcome -> Counter.builder(VERIFICATIONS)
        .description("Registration codes checked, by outcome").tag("outcome", label(outcome)).register(registry));
    rateLimited = each(Limiter.class, limiter -> Counter.builder(RATE_LIMITED)
        .description("Requests and connections refused by an abuse limit (429, or a connection closed at once), "
            + "by limiter (docs/relay-api.md, \"Limits\")").tag("limiter", limiter.label()).register(registry));
  }

  /** Metrics that Prometheus can scrape ({@link #scrape}). */
  public static RelayMetrics enabled() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new RelayMetrics(prometheus, prometheus);
  }

  /** Meters that record nothing. */
  public static RelayMetrics disabled() {
    return new RelayMetrics(new CompositeMeterRegistry(), null);
  }

  public static RelayMetrics of(boolean enabled) {
    return enabled ? enabled() : disabled();
  }

  public boolean isEnabled() {
    return prometheus != null;
  }

  /** Every meter in Prometheus's text format (version 0.0.4). */
  public String scrape() {
    if (prometheus == null) {
      throw new IllegalStateException("metrics are off");
    }
    return prometheus.scrape();
  }

  /**
   * A Vert.x whose own meters (HTTP requests by route and status, open WebSockets, the JVM's memory,
   * threads and collections) go to this registry too; a plain one when metrics are off. The labels
   * are bounded: the listener's own address (the relay's port, or the admin port), the patterns of
   * the routes a request went through ({@code /v1/>/v1/keys/:number}), never the path; no method (a
   * client can invent any); no remote address. Only the HTTP server's meters: the event bus's addresses
   * name accounts, and the rest (clients, pools) say little about the relay.
   */
  public Vertx newVertx() {
    if (prometheus == null) {
      return Vertx.vertx();
    }
    Set<String> onlyTheHttpServer = Arrays.stream(MetricsDomain.values())
        .filter(domain -> domain != MetricsDomain.HTTP_SERVER)
        .map(MetricsDomain::toCategory).collect(Collectors.toSet());
    // The Redis client's meters would be one set per client, and a node has several (pooled, subscriber).
    onlyTheHttpServer.add(REDIS_CLIENT_METRICS);
    // Vert.x keeps registries by name for the whole JVM: each node (tests run several) needs its own.
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
        .setRegistryName("quintet-" + UUID.randomUUID()).setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.LOCAL, Label.HTTP_ROUTE, Label.HTTP_CODE))
        .setDisabledMetricsCategories(onlyTheHttpServer);
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(prometheus)).build();
  }

  // --- delivery -----------------------------------------------------------------------------------

  public void connectedDevices(Supplier<Number> count) {
    Gauge.builder(CONNECTED_DEVICES, count).description("Delivery connections this node holds")
        .strongReference(true).register(registry);
  }

  public void connectionOpened() {
    connectionsOpened.increment();
  }

  public void connectionClosed() {
    connectionsClosed.increment();
  }

  public void envelopesQueued(Origin origin, int count) {
    queued.get(origin).increment(count);
  }

  public void envelopesDelivered(int count) {
    delivered.increment(count);
  }

  public void envelopesAcknowledged(int count) {
    acknowledged.increment(count);
  }

  /** The envelopes waiting in storage, as {@link QueueDepth} last counted them. */
  public void queueDepth(Supplier<Number> depth) {
    Gauge.builder(QUEUE_DEPTH, depth)
        .description("Envelopes waiting in storage for any device (counted at most once a minute, on a scrape)")
        .strongReference(true).register(registry);
  }

  /** 1 while this node can serve (as GET /healthz answers 200), else 0. */
  public void ready(BooleanSupplier ready) {
    Gauge.builder(READY, () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while this node can serve (GET /healthz answers 200), 0 while it cannot reach its Redis")
        .strongReference(true).register(registry);
  }

  // --- sending and storage ------------------------------------------------------------------------

  public Timer.Sample startSend() {
    return Timer.start(registry);
  }

  public void sendAnswered(Timer.Sample sample, SendOutcome outcome) {
    sample.stop(sends.get(outcome));
  }

  public Timer storageCommits(StorageBackend backend) {
    return commits.get(backend);
  }

  // --- Redis --------------------------------------------------------------------------------------

  public void redisError(RedisError kind) {
    redisErrors.get(kind).increment();
  }

  public void redisReconnected(RedisConnection connection) {
    redisReconnects.get(connection).increment();
  }

  // --- linking and registration -------------------------------------------------------------------

  public void linkStarted(LinkMethod method) {
    linksStarted.get(method).increment();
  }

  public void linkCompleted() {
    linksCompleted.increment();
  }

  public void linkRefused(LinkRefusal refusal) {
    linksRefused.get(refusal).increment();
  }

  /** A code went out through {@code channel} ({@code log} or {@code webhook}), or failed to. */
  public void codeSent(String channel, boolean sent) {
    Counter.builder(CODES_SENT).description("Registration codes handed to the verification sender, by channel "
            + "(log, webhook) and outcome (sent, failed)")
        .tag("channel", channel).tag("outcome", sent ? "sent" : "failed").register(registry).increment();
  }

  public void verified(VerificationOutcome outcome) {
    verifications.get(outcome).increment();
  }

  // --- abuse limits -------------------------------------------------------------------------------

  /** A request or connection refused by {@code limiter}. */
  public void rateLimited(Limiter limiter) {
    rateLimited.get(limiter).increment();
  }

  // --- helpers ------------------------------------------------------------------------------------

  private static Duration[] millis(double... bounds) {
    return Arrays.stream(bounds).mapToObj(bound -> Duration.ofNanos(Math.round(bound * 1_000_000)))
        .toArray(Duration[]::new);
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static <E extends Enum<E>, M> Map<E, M> each(Class<E> type, Function<E, M> meter) {
    Map<E, M> meters = new EnumMap<>(type);
    for (E value : type.getEnumConstants()) {
      meters.put(value, meter.apply(value));
    }
    return meters;
  }
}
