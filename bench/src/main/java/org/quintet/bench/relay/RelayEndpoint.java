package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;

/**
 * The relay, started as {@code RelayMain} with a fresh data directory, the default limits and the
 * abuse limits lifted ({@link ServerProcess#unlimited}).
 * Accounts are set up through the API as real devices do it: register the primary with the
 * logged code, link each companion with a counter-signed certificate, upload the signed list.
 */
final class RelayEndpoint implements Endpoint {
  /** Registrations and links in flight at once: enough to keep the relay busy during set-up. */
  private static final int SETUP_WIDTH = 16;
  private final String name;
  private final ServerProcess process;
  private final Http http;

  private RelayEndpoint(String name, ServerProcess process, Http http) {
    this.name = name;
    this.process = process;
    this.http = http;
  }

  static RelayEndpoint start(Vertx vertx, List<String> jvmOptions) throws IOException, InterruptedException {
    return start(vertx, "relay", jvmOptions, List.of(), Files.createTempDirectory("quintet-bench-relay"));
  }

  /**
   * A node over the Redis at {@code redisUrl} with the relay key in {@code relayKey}: every node on
   * one Redis needs the same (docs/cluster.md), or it refuses to start.
   */
  static RelayEndpoint onRedis(Vertx vertx, String name, List<String> jvmOptions, String redisUrl, Path relayKey)
      throws IOException, InterruptedException {
    return start(vertx, name, jvmOptions, List.of("--redis", redisUrl, "--relay-key", relayKey.toString()),
        Files.createTempDirectory("quintet-bench-relay"));
  }

  private static RelayEndpoint start(Vertx vertx, String name, List<String> jvmOptions, List<String> extraArgs,
      Path dir) throws IOException, InterruptedException {
    ServerProcess process = ServerProcess.startRelay(jvmOptions, extraArgs, dir);
    return new RelayEndpoint(name, process, new Http(vertx, process.port()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Http http() {
    return http;
  }

  @Override
  public ServerProcess process() {
    return process;
  }

  @Override
  public Future<Void> provision(List<Account> accounts) {
    return Parallel.each(accounts, SETUP_WIDTH, this::provision);
  }

  private Future<Void> provision(Account account) {
    Device primary = account.primary();
    return http.call(HttpMethod.POST, "/v1/registration/code", null, new JsonObject().put("number", account.number))
        .compose(sent -> Future.fromCompletionStage(process.code(account.number)))
        .compose(code -> register(primary, code))
        .compose(v -> token(primary))
        .compose(v -> linkCompanions(account, 0))
        .compose(v -> account.companions().isEmpty() ? Future.succeededFuture() : signList(account))
        .compose(v -> Future.all(account.companions().stream().map(this::token).toList()))
        .mapEmpty();
  }

  private Future<Void> register(Device primary, String code) {
    long now = System.currentTimeMillis();
    primary.cert = DeviceCert.issue(primary.identity, DeviceCert.PRIMARY_DEVICE_ID, primary.identity.publicKey(), now)
        .counterSign(primary.identity);
    JsonObject request = new JsonObject()
        .put("number", primary.number)
        .put("code", code)
        .put("registrationId", primary.registrationId)
        .put("identityKey", Device.base64(primary.identity.publicKey().encode()))
        .put("signedPreKey", Device.base64(primary.signedPreKey.encode()))
        .put("oneTimePreKeys", new JsonArray().add(Device.base64(primary.oneTimePreKey.encode())))
        .put("deviceList", Device.base64(DeviceList.sign(primary.identity, 1, now, List.of(primary.cert))))
        .put("name", "bench")
        .put("platform", "bench");
    return http.call(HttpMethod.POST, "/v1/registration/verify", null, request).mapEmpty();
  }

  /** Companions one after another: each certificate must name the account's next device id. */
  private Future<Void> linkCompanions(Account account, int index) {
    if (index == account.companions().size()) {
      return Future.succeededFuture();
    }
    Device companion = account.companions().get(index);
    companion.cert = DeviceCert.issue(account.primary().identity, companion.id, companion.identity.publicKey(),
        System.currentTimeMillis()).counterSign(companion.identity);
    JsonObject request = new JsonObject()
        .put("number", account.number)
        .put("cert", Device.base64(companion.cert.encode()))
        .put("registrationId", companion.registrationId)
        .put("signedPreKey", Device.base64(companion.signedPreKey.encode()))
        .put("oneTimePreKeys", new JsonArray().add(Device.base64(companion.oneTimePreKey.encode())))
        .put("name", "bench companion")
        .put("platform", "bench");
    return http.call(HttpMethod.POST, "/v1/devices/link", null, request)
        .compose(linked -> linkCompanions(account, index + 1));
  }

  /** One new list version with every companion, as a primary that linked them all would sign it. */
  private Future<Void> signList(Account account) {
    List<DeviceCert> certs = new ArrayList<>();
    account.devices.forEach(device -> certs.add(device.cert));
    byte[] list = DeviceList.sign(account.primary().identity, 2, System.currentTimeMillis(), certs);
    JsonObject request = new JsonObject().put("deviceList", Device.base64(list)).put("expectedVersion", 1);
    return http.call(HttpMethod.PUT, "/v1/devices/list", account.primary().token, request).mapEmpty();
  }

  private Future<Void> token(Device device) {
    return http.call(HttpMethod.GET, "/v1/auth/challenge", null, null).compose(answer -> {
      byte[] challenge = Base64.getDecoder().decode(answer.getString("challenge"));
      byte[] signature = device.identity.sign(Bytes.concat(Bytes.context("relay auth"), challenge,
          Bytes.ascii(device.number), Bytes.u32(device.id)));
      JsonObject request = new JsonObject().put("number", device.number).put("deviceId", device.id)
          .put("challenge", answer.getString("challenge")).put("signature", Device.base64(signature));
      return http.call(HttpMethod.POST, "/v1/auth/token", null, request);
    }).map(issued -> {
      device.token = issued.getString("token");
      return null;
    });
  }
}
