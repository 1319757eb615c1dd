package org.quintet.relay.metrics;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.quintet.relay.ObservabilityConfig;
import org.quintet.relay.RelayLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in Prometheus's text format: on the relay's own port by default, or on a
 * listener of its own (an admin port, e.g. on 127.0.0.1 only) when {@code metrics.port} is set;
 * nowhere when metrics are off. docs/operations.md lists what it serves.
 */
public final class MetricsEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
  public static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final ObservabilityConfig config;
  private final RelayMetrics metrics;
  private final QueueDepth queueDepth;
  private HttpServer adminServer;

  public MetricsEndpoint(Vertx vertx, ObservabilityConfig config, RelayMetrics metrics, QueueDepth queueDepth) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.queueDepth = queueDepth;
  }

  private boolean onRelayPort() {
    return metrics.isEnabled() && !config.separateMetricsListener();
  }

  private boolean onAdminPort() {
    return metrics.isEnabled() && config.separateMetricsListener();
  }

  /** Adds the route to the relay's router when metrics are served on the relay's port. */
  public void mountOnRelayPort(Router router) {
    if (onRelayPort()) {
      router.get(PATH).handler(this::scrape);
    }
  }

  /** Opens the admin listener when metrics have one; nothing to do otherwise. */
  public Future<Void> listen() {
    if (!onAdminPort()) {
      return Future.succeededFuture();
    }
    Router router = Router.router(vertx);
    router.get(PATH).handler(this::scrape);
    adminServer = vertx.createHttpServer(new HttpServerOptions().setHost(config.metricsHost())
        .setPort(config.metricsPort()));
    return adminServer.requestHandler(router).listen().map(server -> {
      LOG.info("metrics on http://{}:{}{}", config.metricsHost(), server.actualPort(), PATH);
      return null;
    });
  }

  /** The admin listener's port; -1 when there is none. */
  public int adminPort() {
    return adminServer == null ? -1 : adminServer.actualPort();
  }

  public Future<Void> close() {
    return adminServer == null ? Future.succeededFuture() : adminServer.close();
  }

  /**
   * Counts the queues first when that is due, but waits for the count no longer than
   * {@link RelayLimits#QUEUE_DEPTH_SCRAPE_WAIT}: a scrape is answered in time with the last count
   * rather than failing, and the count still lands for the next one.
   */
  private void scrape(RoutingContext ctx) {
    Promise<Void> counted = Promise.promise();
    long waited = vertx.setTimer(RelayLimits.QUEUE_DEPTH_SCRAPE_WAIT.toMillis(), id -> counted.tryComplete());
    queueDepth.refreshIfDue().onComplete(result -> {
      if (result.failed()) {
        LOG.warn("counting the queued envelopes failed: {}", result.cause().toString());
      }
      vertx.cancelTimer(waited);
      counted.tryComplete();
    });
    counted.future().onComplete(v -> ctx.response().putHeader("content-type", CONTENT_TYPE).end(metrics.scrape()));
  }
}
