package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;

/** The baseline forwarder: no accounts, the token is the device's address. */
final class ForwarderEndpoint implements Endpoint {
  private final ServerProcess process;
  private final Http http;

  private ForwarderEndpoint(ServerProcess process, Http http) {
    this.process = process;
    this.http = http;
  }

  static ForwarderEndpoint start(Vertx vertx, List<String> jvmOptions) throws IOException, InterruptedException {
    int port = ServerProcess.freePort();
    ServerProcess process = ServerProcess.start(Forwarder.class.getName(), jvmOptions, List.of(String.valueOf(port)),
        port);
    return new ForwarderEndpoint(process, new Http(vertx, port));
  }

  @Override
  public String name() {
    return "forwarder";
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
    accounts.forEach(account -> account.devices.forEach(device -> device.token = device.key()));
    return Future.succeededFuture();
  }
}
