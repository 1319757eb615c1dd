package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where settings come from: conf/quintet.json's defaults, a config file, the environment, flags. */
class RelayConfigTest {

  @Test
  void everyDefaultIsTheOneInConfQuintetJson() throws IOException {
    JsonObject shipped = new JsonObject(Files.readString(Path.of(System.getProperty("quintet.conf.dir"),
        "quintet.json")));

    assertEquals(RelayConfig.fromJson(shipped), RelayConfig.fromJson(new JsonObject()));
  }

  @Test
  void aConfigurationNamesOnlyWhatItChanges() {
    RelayConfig config = RelayConfig.fromJson(new JsonObject().put("limits", new JsonObject().put("maxCompanions", 2)));

    assertEquals(2, config.maxCompanions());
    assertEquals(Duration.ofDays(30), config.queueTtl(), "the rest of limits keeps its defaults");
    assertEquals(8080, config.port());
  }

  @Test
  void requiringADurableRedisIsOffByDefaultAndSetByFileVariableOrFlag() throws IOException {
    Path none = Path.of("no such file");
    assertFalse(RelayMain.configure(new String[0], Map.of("QUINTET_CONFIG", none.toString())).requireDurableRedis());
    assertTrue(RelayMain.configure(new String[0], Map.of("QUINTET_CONFIG", none.toString(),
        "QUINTET_REDIS_REQUIRE_DURABLE", "true")).requireDurableRedis());
    assertTrue(RelayMain.configure(new String[] {"--require-durable-redis", "true"},
        Map.of("QUINTET_CONFIG", none.toString())).requireDurableRedis());
    assertFalse(RelayMain.configure(new String[] {"--require-durable-redis=false"},
        Map.of("QUINTET_CONFIG", none.toString(), "QUINTET_REDIS_REQUIRE_DURABLE", "true")).requireDurableRedis(),
        "a flag wins over the environment");
    assertTrue(RelayConfig.fromJson(new JsonObject().put("redis", new JsonObject().put("requireDurable", true)))
        .requireDurableRedis());

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RelayMain.configure(
        new String[] {"--require-durable-redis", "yes"}, Map.of("QUINTET_CONFIG", none.toString())));
    assertTrue(refused.getMessage().contains("redis.requireDurable must be true or false"), refused.getMessage());
  }

  @Test
  void metricsAndTheLogFormatAreSetByFileVariableOrFlag() throws IOException {
    Map<String, String> noFile = Map.of("QUINTET_CONFIG", "no such file");
    ObservabilityConfig defaults = RelayMain.configure(new String[0], noFile).observability();
    assertEquals(new ObservabilityConfig(true, null, "127.0.0.1", LogFormat.PLAIN), defaults);
    assertFalse(defaults.separateMetricsListener());

    ObservabilityConfig fromEnvironment = RelayMain.configure(new String[0], Map.of("QUINTET_CONFIG", "no such file",
        "QUINTET_METRICS_PORT", "9464", "QUINTET_METRICS_HOST", "0.0.0.0", "QUINTET_LOG_FORMAT", "json",
        "QUINTET_METRICS_ENABLED", "false")).observability();
    assertEquals(new ObservabilityConfig(false, 9464, "0.0.0.0", LogFormat.JSON), fromEnvironment);

    ObservabilityConfig fromFlags = RelayMain.configure(new String[] {"--metrics-port", "9100", "--log-format=json",
        "--metrics-host", "10.0.0.5", "--metrics-enabled", "true"}, Map.of("QUINTET_CONFIG", "no such file",
        "QUINTET_METRICS_PORT", "9464", "QUINTET_METRICS_ENABLED", "false")).observability();
    assertEquals(new ObservabilityConfig(true, 9100, "10.0.0.5", LogFormat.JSON), fromFlags, "flags win");
    assertTrue(fromFlags.separateMetricsListener());
  }

  @Test
  void anUnknownLogFormatOrABadMetricsPortIsRefusedAndSaysWhatIsAllowed() {
    Map<String, String> noFile = Map.of("QUINTET_CONFIG", "no such file");
    IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
        () -> RelayMain.configure(new String[] {"--log-format", "xml"}, noFile));
    assertEquals("invalid configuration: log.format must be \"plain\" or \"json\", not \"xml\"", format.getMessage());
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> RelayMain.configure(new String[] {"--metrics-port", "70000"}, noFile));
    assertTrue(port.getMessage().contains("metrics.port must be 0..65535"), port.getMessage());
    IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
        () -> RelayMain.configure(new String[] {"--port", "8080", "--metrics-port", "8080"}, noFile));
    assertTrue(same.getMessage().contains("metrics.port must differ from port"), same.getMessage());
    IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
        () -> RelayMain.configure(new String[] {"--metrics-port", "admin"}, noFile));
    assertTrue(notANumber.getMessage().contains("metrics.port must be a number"), notANumber.getMessage());
  }

  @Test
  void theBlobStoreIsLocalByDefaultAndAnS3StoreNeedsItsBucketAndKeysWhichComeFromTheEnvironment() throws Exception {
    Map<String, String> noFile = Map.of("QUINTET_CONFIG", "no such file");
    RelayConfig plain = RelayMain.configure(new String[] {"--data", "/srv/q"}, noFile);
    assertEquals(BlobsConfig.LOCAL, plain.blobs().store());
    assertEquals(java.nio.file.Path.of("/srv/q/blobs"), plain.blobs().localDir());
    assertEquals(100L << 20, plain.blobs().maxBytes());
    IllegalArgumentException noBucket = assertThrows(IllegalArgumentException.class,
        () -> RelayMain.configure(new String[] {"--blobs-store", "s3"}, noFile));
    assertEquals("invalid configuration: blobs.s3.bucket must be set with blobs.store \"s3\"", noBucket.getMessage());
    RelayConfig s3 = RelayMain.configure(new String[] {"--blobs-store", "s3", "--blobs-s3-bucket", "media",
        "--blobs-s3-endpoint", "http://10.0.0.9:9000"}, Map.of("QUINTET_CONFIG", "no such file",
        "QUINTET_BLOBS_S3_ACCESS_KEY", "id", "QUINTET_BLOBS_S3_SECRET_KEY", "very secret"));
    assertEquals("media", s3.blobs().s3().bucket());
    assertEquals("http://10.0.0.9:9000", s3.blobs().s3().endpoint());
    assertFalse(s3.blobs().s3().toString().contains("very secret"), "the secret never shows");
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> RelayMain.configure(new String[] {"--blobs-store", "ftp"}, noFile));
    assertTrue(other.getMessage().contains("blobs.store must be \"local\" or \"s3\""), other.getMessage());
  }

  @Test
  void aMistypedOrEmptiedSettingIsRefusedByName() {
    IllegalArgumentException mistyped = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromJson(
        new JsonObject().put("limits", new JsonObject().put("maxCompanions", "four"))));
    IllegalArgumentException emptied = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromJson(
        new JsonObject().put("port", null)));

    assertTrue(mistyped.getMessage().contains("limits.maxCompanions must be an integer"), mistyped.getMessage());
    assertTrue(emptied.getMessage().contains("port must be set"), emptied.getMessage());
  }

  @Test
  void plainHttpListensOnThisMachineOnlyUnlessTheOperatorSaysOtherwise() throws IOException {
    Path none = Path.of("no such file");
    assertEquals("127.0.0.1", RelayConfig.fromJson(new JsonObject()).host());
    assertEquals("0.0.0.0", RelayMain.configure(new String[] {"--host", "0.0.0.0"},
        Map.of("QUINTET_CONFIG", none.toString())).host());
    // HTTPS is for other machines: every address, unless the operator names one.
    assertEquals("0.0.0.0", RelayMain.configure(new String[] {"--tls"}, Map.of("QUINTET_CONFIG", none.toString())).host());
    assertEquals("127.0.0.2", RelayMain.configure(new String[] {"--tls", "--host", "127.0.0.2"},
        Map.of("QUINTET_CONFIG", none.toString())).host());
  }

  @Test
  void httpsIsASwitchAndTheOperatorsFilesTurnItOn() throws IOException {
    Map<String, String> env = Map.of("QUINTET_CONFIG", "no such file");
    assertFalse(RelayMain.configure(new String[0], env).tls().enabled());
    RelayConfig switched = RelayMain.configure(new String[] {"--tls", "--port", "8443", "--tls-names", "a.lan, 10.0.0.9"}, env);
    assertTrue(switched.tls().enabled());
    assertEquals(8443, switched.port(), "a switch takes no value: the next flag is read as one");
    assertEquals(java.util.List.of("a.lan", "10.0.0.9"), switched.tls().names());
    RelayConfig files = RelayMain.configure(new String[] {"--tls-cert", "fullchain.pem", "--tls-key", "privkey.pem"}, env);
    assertTrue(files.tls().enabled());
    assertEquals(Path.of("fullchain.pem"), files.tls().certFile());
    assertFalse(RelayMain.configure(new String[] {"--tls=false"}, env).tls().enabled());
    assertTrue(RelayMain.configure(new String[0], Map.of("QUINTET_CONFIG", "no such file", "QUINTET_TLS", "true"))
        .tls().enabled());
  }

  @Test
  void trustedProxiesAreAddressesOrRangesFromFileVariableOrFlag() throws IOException {
    Map<String, String> noFile = Map.of("QUINTET_CONFIG", "no such file");
    assertEquals(java.util.List.of(), RelayMain.configure(new String[0], noFile).abuseLimits().trustedProxies(),
        "no proxy is trusted unless the operator says so");
    assertEquals(java.util.List.of("10.0.0.0/8", "::1"), RelayMain.configure(new String[0], Map.of("QUINTET_CONFIG",
        "no such file", "QUINTET_TRUSTED_PROXIES", "10.0.0.0/8, ::1")).abuseLimits().trustedProxies());
    assertEquals(java.util.List.of("127.0.0.1"), RelayMain.configure(new String[] {"--trusted-proxies", "127.0.0.1"},
        noFile).abuseLimits().trustedProxies());
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> RelayMain.configure(new String[] {"--trusted-proxies", "proxy.lan"}, noFile));
    assertTrue(refused.getMessage().contains("trustedProxies has \"proxy.lan\""), refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RelayMain.configure(new String[] {"--trusted-proxies", "10.0.0.0/33"},
        noFile));
  }

  @Test
  void aRateLimitIsABucketAndARefillTimeOfAtLeastOne() {
    RelayConfig config = RelayConfig.fromJson(new JsonObject().put("rateLimits", new JsonObject()
        .put("sendsPerDevice", new JsonObject().put("bucketSize", 7))));
    assertEquals(new org.quintet.relay.limits.RateLimit(7, Duration.ofSeconds(10)),
        config.abuseLimits().rate(org.quintet.relay.limits.Limiter.SENDS_PER_DEVICE), "the refill keeps its default");
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromJson(
        new JsonObject().put("rateLimits", new JsonObject().put("pairingsPerIp", new JsonObject().put("refillSeconds", 0)))));
    assertTrue(zero.getMessage().contains("rateLimits.pairingsPerIp"), zero.getMessage());
    IllegalArgumentException tooFast = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromJson(
        new JsonObject().put("rateLimits", new JsonObject().put("sendsPerDevice",
            new JsonObject().put("bucketSize", Integer.MAX_VALUE).put("refillSeconds", 1)))));
    assertTrue(tooFast.getMessage().contains("faster than one a nanosecond"), tooFast.getMessage());
    IllegalArgumentException cap = assertThrows(IllegalArgumentException.class, () -> RelayConfig.fromJson(
        new JsonObject().put("connectionLimits", new JsonObject().put("connectionsPerIp", 0))));
    assertTrue(cap.getMessage().contains("connectionLimits.connectionsPerIp must be at least 1"), cap.getMessage());
  }
}
