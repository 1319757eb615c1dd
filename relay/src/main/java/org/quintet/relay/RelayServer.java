package org.quintet.relay;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.quintet.protocol.Delivery;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;
import org.quintet.relay.api.AuthController;
import org.quintet.relay.api.Controller;
import org.quintet.relay.api.DeviceController;
import org.quintet.relay.api.JsonBodies;
import org.quintet.relay.api.KeysController;
import org.quintet.relay.api.MessageController;
import org.quintet.relay.api.RegistrationController;
import org.quintet.relay.auth.Authenticator;
import org.quintet.relay.auth.Challenges;
import org.quintet.relay.auth.Tokens;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.lifecycle.InactiveDevices;
import org.quintet.relay.media.BlobController;
import org.quintet.relay.media.BlobStore;
import org.quintet.relay.media.LocalBlobStore;
import org.quintet.relay.media.S3BlobStore;
import org.quintet.relay.limits.ClientIp;
import org.quintet.relay.limits.ConnectionCaps;
import org.quintet.relay.limits.Limiter;
import org.quintet.relay.limits.LocalTokenBuckets;
import org.quintet.relay.limits.RateLimiters;
import org.quintet.relay.limits.RedisTokenBuckets;
import org.quintet.relay.limits.TokenBuckets;
import org.quintet.relay.linking.Linking;
import org.quintet.relay.linking.LinkingController;
import org.quintet.relay.metrics.MetricsEndpoint;
import org.quintet.relay.metrics.QueueDepth;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.tls.ServerCertificate;
import org.quintet.relay.tls.TlsCertificates;
import org.quintet.relay.verification.CodeSender;
import org.quintet.relay.verification.Verification;
import org.quintet.web.WebCompanion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay node: the HTTP API, the delivery WebSockets and the housekeeping timer, over a
 * storage it is given. {@link RelayMain} starts it for {@code ./quintet serve}; tests start it
 * in-process.
 */
public final class RelayServer {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

  private final Vertx vertx;
  private final RelayConfig config;
  private final Backend backend;
  private final RelayStorage storage;
  private final Clock clock;
  private final Authenticator authenticator;
  private final Connections connections;
  /** Routes a device calls before it has a token. */
  private final List<Controller> openControllers;
  private final List<Controller> authenticatedControllers;
  private final DeviceController devices;
  private final Linking linking;
  private final InactiveDevices inactiveDevices;
  private final MetricsEndpoint metricsEndpoint;
  private final ClientIp clientIp;
  private final ConnectionCaps caps;
  private HttpServer server;
  private final ConnectionTimeouts timeouts;
  /** The plain-HTTP port that only sends browsers to HTTPS, when the operator asked for one. */
  private HttpServer redirect;
  private TlsCertificates tls;
  private long purgeTimer = -1;
  private final BlobStore blobStore;
  private final BlobController blobs;

  private RelayServer(Vertx vertx, RelayConfig config, Backend backend, CodeSender codeSender, Clock clock,
      byte[] relayKey) {
    this.vertx = vertx;
    this.timeouts = new ConnectionTimeouts(vertx);
    this.config = config;
    this.backend = backend;
    RelayStorage storage = backend.storage();
    this.storage = storage;
    this.clock = clock;
    Tokens tokens = new Tokens(relayKey, clock, config.tokenTtl());
    this.authenticator = new Authenticator(tokens, storage, clock);
    RelayMetrics meters = backend.metrics();
    LimitsConfig limits = config.abuseLimits();
    this.clientIp = new ClientIp(limits.trustedProxies());
    this.caps = new ConnectionCaps(limits.caps(), clientIp, meters);
    // A cluster shares its buckets through Redis, so that spreading requests over nodes gains nothing.
    TokenBuckets buckets = backend.redis() == null ? new LocalTokenBuckets(limits.rates(), clock)
        : new RedisTokenBuckets(backend.redis(), limits.rates());
    RateLimiters limiters = new RateLimiters(buckets, clientIp, clock, meters);
    this.connections = new Connections(vertx, backend.bus(), storage, clock, config.queueTtl(),
        config.deliveryWindow(), meters);
    this.devices = new DeviceController(storage, connections, config, clock, meters, limiters);
    this.linking = new Linking(vertx, connections, backend.bus(), backend.linkSessions(), clock, meters, limiters);
    this.inactiveDevices = new InactiveDevices(storage, connections, clock, config.primaryInactive(),
        config.companionInactive());
    this.blobStore = config.blobs().store().equals(BlobsConfig.S3) ? new S3BlobStore(vertx, config.blobs().s3())
        : new LocalBlobStore(vertx, config.blobs().localDir());
    this.blobs = new BlobController(vertx, storage, blobStore, config.blobs(), clock, limiters, config.dataDir());
    this.openControllers = List.of(
        new RegistrationController(storage, new Verification(storage, codeSender, config, clock, meters), connections,
            config, clock, limiters),
        new AuthController(storage, new Challenges(relayKey, clock), tokens));
    this.authenticatedControllers = List.of(
        devices,
        new KeysController(storage, connections, config, limiters),
        new MessageController(storage, connections, config, clock, meters, limiters),
        new LinkingController(linking));
    QueueDepth queueDepth = new QueueDepth(storage, clock, RelayLimits.QUEUE_DEPTH_REFRESH);
    meters.queueDepth(queueDepth::value);
    meters.ready(backend::ready);
    this.metricsEndpoint = new MetricsEndpoint(vertx, config.observability(), meters, queueDepth);
  }

  /** Starts a node on {@code config.host():config.port()} (port 0: any free port). */
  public static Future<RelayServer> start(Vertx vertx, RelayConfig config, Backend backend, CodeSender codeSender,
      Clock clock) {
    byte[] relayKey;
    try {
      relayKey = RelayKey.loadOrCreate(config.relayKeyFile());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    RelayServer relay = new RelayServer(vertx, config, backend, codeSender, clock, relayKey);
    return backend.admit(relayKey, config.relayKeyFile())
        .compose(v -> backend.checkPersistence(config.requireDurableRedis()))
        .compose(v -> relay.listen()).compose(v -> relay.metricsEndpoint.listen()).map(relay);
  }

  public int port() {
    return server.actualPort();
  }

  /** The plain-HTTP port that redirects to HTTPS; -1 when there is none. */
  public int redirectPort() {
    return redirect == null ? -1 : redirect.actualPort();
  }

  /** The certificate served, when serving HTTPS. */
  public ServerCertificate certificate() {
    return tls == null ? null : tls.current();
  }

  /** Looks for a renewed certificate now (the node also looks every minute); true when it changed. */
  public Future<Boolean> refreshCertificate() {
    return tls == null ? Future.succeededFuture(false) : tls.refresh(servers());
  }

  /** Where devices reach this node: its address, or every address of the machine when it listens on all. */
  public List<String> urls() {
    return ListenAddresses.urls(config.tls().scheme(), config.host(), port());
  }

  private List<HttpServer> servers() {
    return List.of(server);
  }

  /** The port of the metrics' own listener; -1 when metrics are off or served on {@link #port()}. */
  public int metricsPort() {
    return metricsEndpoint.adminPort();
  }

  public Connections connections() {
    return connections;
  }

  /** What this node holds open per client address (the abuse limits' caps). */
  public ConnectionCaps connectionCaps() {
    return caps;
  }

  private Future<Void> listen() {
    if (!config.tls().enabled()) {
      return listen(new HttpServerOptions());
    }
    return TlsCertificates.load(vertx, config.tls(), config.dataDir(), config.host(), clock).compose(loaded -> {
      tls = loaded;
      return listen(new HttpServerOptions().setSsl(true).setKeyCertOptions(loaded.current().keyCertOptions()));
    }).compose(v -> {
      tls.watch(servers());
      return config.tls().redirectPort() == null ? Future.succeededFuture() : listenForRedirects();
    });
  }

  private Future<Void> listen(HttpServerOptions options) {
    Router router = Router.router(vertx);
    if (config.tls().enabled() && !config.tls().hstsMaxAge().isZero()) {
      String hsts = "max-age=" + config.tls().hstsMaxAge().toSeconds();
      router.route().handler(ctx -> {
        ctx.response().putHeader("Strict-Transport-Security", hsts);
        ctx.next();
      });
    }
    router.get("/healthz").handler(this::health);
    metricsEndpoint.mountOnRelayPort(router);
    WebCompanion.mount(vertx, router);
    blobs.mount(router, this::authenticate);
    router.route("/v1/*").handler(new JsonBodies());
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    router.route("/v1/*").handler(ctx -> ClientFaults.readBody(ctx, bodies));
    router.route("/v1/*").handler(ClientFaults::bodyRead);
    openControllers.forEach(controller -> controller.mount(router));
    devices.mountLink(router);
    router.route("/v1/*").handler(this::authenticate);
    authenticatedControllers.forEach(controller -> controller.mount(router));
    router.route().last().handler(ctx -> fail(ctx, new ApiException(ApiError.NOT_FOUND, "no such endpoint")));
    router.route().failureHandler(this::onFailure);
    // A request no route can match, such as a path that does not decode (%zz), fails before any
    // route's failure handler: it gets its JSON refusal here.
    for (int status : new int[] {400, 404, 405}) {
      ApiException refusal = new ApiException(routerRefusal(status), "the request was not understood");
      router.errorHandler(status, ctx -> send(ctx, refusal));
    }

    // ConnectionTimeouts turns off HTTP/2 over plain TCP (h2c), which no device or browser speaks:
    // with it, Vert.x makes a connection known only once it has read a request, so idle and
    // half-sent connections would escape both the timeouts and connectionsPerIp.
    server = vertx.createHttpServer(ConnectionTimeouts.apply(options).setHost(config.host()).setPort(config.port())
        .setMaxWebSocketMessageSize(RelayLimits.MAX_DEVICE_FRAME_BYTES)
        .setMaxWebSocketFrameSize(RelayLimits.MAX_DEVICE_FRAME_BYTES)
        .setMaxInitialLineLength(RelayLimits.MAX_REQUEST_LINE_BYTES)
        .setMaxHeaderSize(RelayLimits.MAX_HEADER_BYTES));
    server.invalidRequestHandler(ClientFaults::invalidRequest);
    server.connectionHandler(connection -> {
      connection.exceptionHandler(ClientFaults::connectionFailed);
      timeouts.opened(connection);
      caps.connected(connection);
    });
    server.requestHandler(request -> {
      timeouts.requestStarted(request.remoteAddress());
      router.handle(request);
    });
    server.webSocketHandshakeHandler(handshake -> {
      timeouts.requestStarted(handshake.remoteAddress());
      handshake(handshake);
    });
    // Accepted sockets are wired in handshake(), which knows the authenticated device.
    server.webSocketHandler(timeouts::keepAlive);
    // Once per interval across a cluster: the node that takes the turn does it.
    purgeTimer = vertx.setPeriodic(RelayLimits.HOUSEKEEPING_INTERVAL.toMillis(), id ->
        backend.takeTurn("housekeeping", RelayLimits.HOUSEKEEPING_TURN.toMillis()).onSuccess(mine -> {
          if (mine) {
            housekeeping();
          }
        }));
    return server.listen().recover(e -> Future.failedFuture(ListenAddresses.explain(e, config.host(), config.port())))
        .map(s -> {
          LOG.info("Quintet relay listening on {}", String.join(" ", urls()));
          return null;
        });
  }

  /** A browser that typed http:// is sent to the same host and path over HTTPS. */
  private Future<Void> listenForRedirects() {
    int tlsPort = port();
    redirect = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.tls().redirectPort())
        .setMaxInitialLineLength(RelayLimits.MAX_REQUEST_LINE_BYTES).setMaxHeaderSize(RelayLimits.MAX_HEADER_BYTES));
    redirect.invalidRequestHandler(ClientFaults::invalidRequest);
    redirect.connectionHandler(connection -> connection.exceptionHandler(ClientFaults::connectionFailed));
    redirect.requestHandler(request -> {
      String host = request.authority() == null ? config.host() : request.authority().host();
      request.response().setStatusCode(308)
          .putHeader("Location", "https://" + ListenAddresses.urlHost(host) + ":" + tlsPort + request.uri())
          .end();
    });
    return redirect.listen()
        .recover(e -> Future.failedFuture(ListenAddresses.explain(e, config.host(), config.tls().redirectPort())))
        .map(s -> {
          LOG.info("redirecting plain HTTP on port {} to HTTPS", s.actualPort());
          return null;
        });
  }

  /** 200 "ok" when this node can serve; 503 "not-ready" while its storage or its bus is unreachable. */
  private void health(RoutingContext ctx) {
    boolean ready = backend.ready();
    ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", ready ? "ok" : "not-ready").encode());
  }

  /** Expired envelopes and attachments, and inactive devices; hourly, and on demand in tests with their own clock. */
  public Future<Void> housekeeping() {
    return storage.purgeExpired(clock.millis()).onSuccess(count -> {
      if (count > 0) {
        LOG.info("deleted {} expired envelopes", count);
      }
    }).compose(v -> blobs.sweep()).onSuccess(count -> {
      if (count > 0) {
        LOG.info("deleted {} expired attachments", count);
      }
    }).compose(v -> inactiveDevices.sweep()).mapEmpty();
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
    authenticator.authenticate(token).onComplete(result -> {
      if (result.succeeded()) {
        ctx.put(Controller.DEVICE, result.result());
        ctx.next();
      } else {
        ctx.fail(result.cause());
      }
    });
  }

  /**
   * WebSocket log-in happens here, before the upgrade: an unauthenticated socket never opens. A
   * client address with its most sockets of the kind open on this node is refused with a plain
   * {@code 429} (a refused upgrade carries no headers or body in Vert.x; a device retries later).
   * Once accepted, the socket gives back its slot and its connection's when it closes.
   */
  private void handshake(ServerWebSocketHandshake handshake) {
    boolean provisioning = Delivery.PROVISIONING_PATH.equals(handshake.path());
    if (!provisioning && !Delivery.DELIVERY_PATH.equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    String client = clientIp.of(handshake.remoteAddress(), handshake.headers());
    ConnectionCaps.Slot slot = caps.acquire(provisioning ? Limiter.PROVISIONING_SOCKETS_PER_IP
        : Limiter.DELIVERY_SOCKETS_PER_IP, client);
    if (slot == null) {
      handshake.reject(429);
      return;
    }
    if (provisioning) {
      // A companion waiting to be linked has no account yet; what it receives is sealed to it.
      handshake.accept().onComplete(accepted -> {
        if (accepted.failed()) {
          slot.release();
          return;
        }
        ConnectionCaps.Slot connection = caps.upgraded(handshake.remoteAddress());
        linking.open(accepted.result(), client, () -> {
          slot.release();
          connection.release();
        });
      });
      return;
    }
    List<String> tokens = new QueryStringDecoder(handshake.uri()).parameters().get("token");
    String token = tokens == null || tokens.size() != 1 ? null : tokens.get(0);
    authenticator.authenticate(token).onComplete(result -> {
      if (result.failed()) {
        slot.release();
        handshake.reject(401);
        return;
      }
      // The connection's slot is taken over before the upgrade: once upgraded, Vert.x no longer
      // says when the connection closes, and a refused upgrade releases it with the socket's.
      ConnectionCaps.Slot connection = caps.upgraded(handshake.remoteAddress());
      connections.open(handshake, result.result(), () -> {
        slot.release();
        connection.release();
      });
    });
  }

  private void onFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    ApiError byRouter = routerRefusal(ctx.statusCode());
    if (failure instanceof ApiException refusal) {
      send(ctx, refusal);
    } else if (ctx.statusCode() == 413) {
      send(ctx, new ApiException(ApiError.TOO_LARGE, "the request body is over " + config.maxBodyBytes() + " bytes"));
    } else if (byRouter != null) {
      send(ctx, new ApiException(byRouter, "the request was not understood"));
    } else if (ClientFaults.isBrokenRequest(ctx)) {
      send(ctx, ClientFaults.brokenRequest(ctx));
    } else {
      LOG.error("request {} {} failed", ctx.request().method(), loggedPath(ctx.request().path()), failure);
      send(ctx, new ApiException(ApiError.INTERNAL, "the relay failed to handle this request"));
    }
  }

  /**
   * A request's path as the log shows it: the first two segments, which name the endpoint
   * ({@code /v1/provisioning}); the rest can be a one-time linking address, a pairing id or a number.
   */
  static String loggedPath(String path) {
    String[] segments = path == null ? new String[0] : path.split("/", 4);
    return segments.length <= 3 ? String.valueOf(path) : String.join("/", segments[0], segments[1], segments[2], "...");
  }

  /** What a status set by Vert.x Web itself (a body it could not read, no route, another method) means. */
  private static ApiError routerRefusal(int status) {
    return switch (status) {
      case 400 -> ApiError.INVALID_REQUEST;
      case 404 -> ApiError.NOT_FOUND;
      case 405 -> ApiError.METHOD_NOT_ALLOWED;
      default -> null;
    };
  }

  private static void fail(RoutingContext ctx, ApiException refusal) {
    ctx.fail(refusal);
  }

  private static void send(RoutingContext ctx, ApiException refusal) {
    if (!ctx.response().ended()) {
      JsonObject body = refusal.body();
      if (refusal.error() == ApiError.RATE_LIMITED && body.getValue("retryAfterSeconds") instanceof Number wait) {
        // The same wait for HTTP clients and proxies that know the header (RFC 9110, 10.2.3).
        ctx.response().putHeader("Retry-After", String.valueOf(wait.longValue()));
      }
      ctx.response().setStatusCode(refusal.status()).putHeader("content-type", "application/json")
          .end(body.encode());
    }
  }

  /**
   * Stops serving: the listener closes at once; requests in progress get up to {@code grace} to be
   * answered; every WebSocket is closed with 1001 and a reason, so its device connects again
   * (to another node, behind a load balancer). What was acknowledged is already durable.
   */
  public Future<Void> close(Duration grace) {
    if (purgeTimer >= 0) {
      vertx.cancelTimer(purgeTimer);
    }
    connections.close();
    if (tls != null) {
      tls.close();
    }
    Future<Void> redirecting = redirect == null ? Future.succeededFuture() : redirect.close();
    Future<Void> serving = server == null ? Future.succeededFuture()
        : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
    return Future.all(redirecting, serving).<Void>mapEmpty().eventually(metricsEndpoint::close)
        .eventually(blobStore::close);
  }
}
