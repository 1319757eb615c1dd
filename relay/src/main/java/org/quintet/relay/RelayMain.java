package org.quintet.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.verification.CodeSender;
import org.quintet.relay.verification.LogCodeSender;
import org.quintet.relay.verification.WebhookCodeSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./quintet serve [--port N] [--data DIR] [--config FILE] [--host ADDRESS] [--redis URL]
 * [--relay-key FILE] [--require-durable-redis true|false] [--tls ...]}. Settings come from the config file
 * ({@code conf/quintet.json} by default), then {@code QUINTET_*} environment variables, then
 * flags, later ones winning.
 */
public final class RelayMain {
  private static final Logger LOG = LoggerFactory.getLogger(RelayMain.class);
  static final String USAGE =
      "usage: quintet serve [--port N] [--data DIR] [--config FILE] [--host ADDRESS] [--redis redis://HOST:PORT]"
          + " [--relay-key FILE] [--require-durable-redis true|false]"
          + " [--tls [--tls-cert FILE --tls-key FILE] [--tls-names NAME,...] [--tls-redirect-port N]]"
          + " [--metrics-enabled true|false] [--metrics-port N] [--metrics-host ADDRESS] [--log-format plain|json]"
          + " [--trusted-proxies ADDRESS|CIDR,...]";

  private RelayMain() {}

  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(USAGE);
      System.out.println("Every setting, with its default and its QUINTET_* variable: conf/quintet.json and the README.");
      return;
    }
    RelayConfig config;
    try {
      config = configure(args, System.getenv());
    } catch (IllegalArgumentException | IOException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    config.observability().logFormat().install();
    RelayMetrics metrics = RelayMetrics.of(config.observability().metricsEnabled());
    Vertx vertx = metrics.newVertx();
    RelayConfig settings = config;
    CountDownLatch stopped = new CountDownLatch(1);
    Backend.open(vertx, settings, Clock.systemUTC(), metrics)
        .compose(backend -> RelayServer.start(vertx, settings, backend, codeSender(vertx, settings), Clock.systemUTC())
            .onSuccess(relay -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
              shutdown(relay, backend, vertx);
              stopped.countDown();
            }))))
        .onSuccess(relay -> LOG.info("serving {} (data in {})", relay.urls().get(0),
            settings.dataDir().toAbsolutePath()))
        .onFailure(e -> {
          LOG.error("the relay could not start: {}", e.getMessage());
          System.exit(1);
        });
    // The relay runs on Vert.x threads; main waits here until the process is asked to stop.
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A setting an environment variable and (when it has one) a flag can override, in the config's JSON. */
  private record Override(String variable, String flag, BiConsumer<JsonObject, String> apply) {}

  private static final List<Override> OVERRIDES = List.of(
      new Override("QUINTET_HOST", "--host", (json, value) -> json.put("host", value)),
      new Override("QUINTET_PORT", "--port", (json, value) -> json.put("port", Flags.integer(value, "the port"))),
      new Override("QUINTET_DATA", "--data", (json, value) -> json.put("dataDir", value)),
      new Override("QUINTET_RELAY_KEY_FILE", "--relay-key", (json, value) -> json.put("relayKeyFile", value)),
      new Override("QUINTET_REDIS_URL", "--redis", (json, value) -> section(json, "redis").put("url", value)),
      new Override("QUINTET_REDIS_REQUIRE_DURABLE", "--require-durable-redis", (json, value) ->
          section(json, "redis").put("requireDurable", Flags.bool(value, "redis.requireDurable"))),
      new Override("QUINTET_TLS", "--tls", (json, value) -> section(json, "tls").put("enabled", Flags.bool(value, "tls"))),
      new Override("QUINTET_TLS_CERT_FILE", "--tls-cert", (json, value) ->
          section(json, "tls").put("enabled", true).put("certFile", value)),
      new Override("QUINTET_TLS_KEY_FILE", "--tls-key", (json, value) ->
          section(json, "tls").put("enabled", true).put("keyFile", value)),
      new Override("QUINTET_TLS_NAMES", "--tls-names", (json, value) ->
          section(json, "tls").put("names", new JsonArray(List.of(value.split("\\s*,\\s*"))))),
      new Override("QUINTET_TLS_REDIRECT_PORT", "--tls-redirect-port", (json, value) ->
          section(json, "tls").put("redirectPort", Flags.integer(value, "the redirect port"))),
      new Override("QUINTET_VERIFICATION_SENDER", null,
          (json, value) -> section(json, "verification").put("sender", value)),
      new Override("QUINTET_VERIFICATION_WEBHOOK_URL", null,
          (json, value) -> section(json, "verification").put("webhookUrl", value)),
      new Override("QUINTET_METRICS_ENABLED", "--metrics-enabled", (json, value) ->
          section(json, "metrics").put("enabled", Flags.bool(value, "metrics.enabled"))),
      new Override("QUINTET_METRICS_PORT", "--metrics-port", (json, value) ->
          section(json, "metrics").put("port", Flags.integer(value, "metrics.port"))),
      new Override("QUINTET_METRICS_HOST", "--metrics-host", (json, value) -> section(json, "metrics").put("host", value)),
      new Override("QUINTET_LOG_FORMAT", "--log-format", (json, value) -> section(json, "log").put("format", value)),
      new Override("QUINTET_BLOBS_STORE", "--blobs-store", (json, value) -> section(json, "blobs").put("store", value)),
      new Override("QUINTET_BLOBS_LOCAL_DIR", "--blobs-dir", (json, value) -> section(json, "blobs").put("localDir", value)),
      new Override("QUINTET_BLOBS_S3_ENDPOINT", "--blobs-s3-endpoint", (json, value) ->
          section(section(json, "blobs"), "s3").put("endpoint", value)),
      new Override("QUINTET_BLOBS_S3_BUCKET", "--blobs-s3-bucket", (json, value) ->
          section(section(json, "blobs"), "s3").put("bucket", value)),
      // Keys from the environment only, never a flag: a command line shows in the process list.
      new Override("QUINTET_BLOBS_S3_ACCESS_KEY", null, (json, value) ->
          section(section(json, "blobs"), "s3").put("accessKey", value)),
      new Override("QUINTET_BLOBS_S3_SECRET_KEY", null, (json, value) ->
          section(section(json, "blobs"), "s3").put("secretKey", value)),
      new Override("QUINTET_TRUSTED_PROXIES", "--trusted-proxies", (json, value) ->
          json.put("trustedProxies", new JsonArray(value.isBlank() ? List.of() : List.of(value.split("\\s*,\\s*"))))));

  static RelayConfig configure(String[] args, Map<String, String> env) throws IOException {
    Map<String, String> flags = Flags.parse(args);
    Path configFile = Path.of(flags.getOrDefault("--config", env.getOrDefault("QUINTET_CONFIG", "conf/quintet.json")));
    if (!Files.exists(configFile) && flags.containsKey("--config")) {
      throw new IllegalArgumentException("no config file at " + configFile);
    }
    JsonObject json = Files.exists(configFile) ? new JsonObject(Files.readString(configFile)) : new JsonObject();
    OVERRIDES.stream().filter(o -> env.containsKey(o.variable())).forEach(o -> o.apply().accept(json, env.get(o.variable())));
    OVERRIDES.stream().filter(o -> flags.containsKey(o.flag())).forEach(o -> o.apply().accept(json, flags.get(o.flag())));
    return RelayConfig.fromJson(json);
  }

  private static JsonObject section(JsonObject json, String name) {
    JsonObject section = json.getJsonObject(name);
    if (section == null) {
      section = new JsonObject();
      json.put(name, section);
    }
    return section;
  }

  private static CodeSender codeSender(Vertx vertx, RelayConfig config) {
    return config.verificationSender().equals("webhook")
        ? new WebhookCodeSender(WebClient.create(vertx), config.verificationWebhookUrl())
        : new LogCodeSender();
  }

  /** SIGTERM or Ctrl-C: devices are told to go elsewhere, answers in progress are given, then storage closes. */
  private static void shutdown(RelayServer relay, Backend backend, Vertx vertx) {
    Duration grace = RelayLimits.SHUTDOWN_GRACE;
    long closing = RelayLimits.SHUTDOWN_CLOSE_TIMEOUT.toMillis();
    LOG.info("stopping: closing connections ({} s at most for requests in progress)", grace.toSeconds());
    try {
      relay.close(grace).compose(v -> backend.close()).toCompletionStage().toCompletableFuture()
          .get(grace.toMillis() + closing, TimeUnit.MILLISECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(closing, TimeUnit.MILLISECONDS);
      LOG.info("stopped");
    } catch (Exception e) {
      LOG.warn("shutdown was not clean: {}", e.toString());
    }
  }

}
