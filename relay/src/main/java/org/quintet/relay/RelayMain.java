package org.quintet.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.quintet.relay.verification.CodeSender;
import org.quintet.relay.verification.LogCodeSender;
import org.quintet.relay.verification.WebhookCodeSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./quintet serve [--port N] [--data DIR] [--config FILE] [--host ADDRESS] [--redis URL]}. Settings come
 * from the config file ({@code conf/quintet.json} by default), then {@code QUINTET_*} environment
 * variables, then flags, later ones winning.
 */
public final class RelayMain {
  private static final Logger LOG = LoggerFactory.getLogger(RelayMain.class);
  static final String USAGE =
      "usage: quintet serve [--port N] [--data DIR] [--config FILE] [--host ADDRESS] [--redis redis://HOST:PORT]";

  private RelayMain() {}

  public static void main(String[] args) {
    RelayConfig config;
    try {
      config = configure(args, System.getenv());
    } catch (IllegalArgumentException | IOException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    RelayConfig settings = config;
    CountDownLatch stopped = new CountDownLatch(1);
    Backend.open(vertx, settings, Clock.systemUTC())
        .compose(backend -> RelayServer.start(vertx, settings, backend, codeSender(vertx, settings), Clock.systemUTC())
            .onSuccess(relay -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
              shutdown(relay, backend, vertx);
              stopped.countDown();
            }))))
        .onSuccess(relay -> LOG.info("serving http://localhost:{} (data in {})", relay.port(),
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

  static RelayConfig configure(String[] args, Map<String, String> env) throws IOException {
    Map<String, String> flags = Flags.parse(args);
    Path configFile = Path.of(flags.getOrDefault("--config", env.getOrDefault("QUINTET_CONFIG", "conf/quintet.json")));
    JsonObject json = Files.exists(configFile) ? new JsonObject(Files.readString(configFile)) : new JsonObject();
    if (!Files.exists(configFile) && flags.containsKey("--config")) {
      throw new IllegalArgumentException("no config file at " + configFile);
    }
    RelayConfig config = RelayConfig.fromJson(applyEnvironment(json, env));
    if (flags.containsKey("--host")) {
      config = config.withHost(flags.get("--host"));
    }
    if (flags.containsKey("--port")) {
      config = config.withPort(Flags.integer(flags.get("--port"), "--port"));
    }
    if (flags.containsKey("--data")) {
      config = config.withDataDir(Path.of(flags.get("--data")));
    }
    if (flags.containsKey("--redis")) {
      config = config.withRedisUrl(flags.get("--redis"));
    }
    return config;
  }

  private static JsonObject applyEnvironment(JsonObject json, Map<String, String> env) {
    JsonObject out = json.copy();
    if (env.containsKey("QUINTET_HOST")) {
      out.put("host", env.get("QUINTET_HOST"));
    }
    if (env.containsKey("QUINTET_PORT")) {
      out.put("port", Flags.integer(env.get("QUINTET_PORT"), "QUINTET_PORT"));
    }
    if (env.containsKey("QUINTET_DATA")) {
      out.put("dataDir", env.get("QUINTET_DATA"));
    }
    if (env.containsKey("QUINTET_REDIS_URL")) {
      out.put("redis", out.getJsonObject("redis", new JsonObject()).copy().put("url", env.get("QUINTET_REDIS_URL")));
    }
    JsonObject verification = out.getJsonObject("verification", new JsonObject()).copy();
    if (env.containsKey("QUINTET_VERIFICATION_SENDER")) {
      verification.put("sender", env.get("QUINTET_VERIFICATION_SENDER"));
    }
    if (env.containsKey("QUINTET_VERIFICATION_WEBHOOK_URL")) {
      verification.put("webhookUrl", env.get("QUINTET_VERIFICATION_WEBHOOK_URL"));
    }
    return out.put("verification", verification);
  }

  private static CodeSender codeSender(Vertx vertx, RelayConfig config) {
    return config.verificationSender().equals("webhook")
        ? new WebhookCodeSender(WebClient.create(vertx), config.verificationWebhookUrl())
        : new LogCodeSender();
  }

  private static void shutdown(RelayServer relay, Backend backend, Vertx vertx) {
    try {
      relay.close().compose(v -> backend.close()).toCompletionStage().toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown was not clean: {}", e.toString());
    }
  }

}
