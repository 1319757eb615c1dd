package org.quintet.relay.delivery;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.storage.RelayStorage;

/**
 * The delivery connections this node holds: at most one per device (a newer one replaces the
 * older), and the doorbell that tells a connection its queue grew.
 */
public final class Connections {
  public static final int REPLACED = 4000;
  public static final int DEVICE_REMOVED = 4001;
  public static final int NUMBER_REREGISTERED = 4002;
  /** Close reasons, machine-readable: a device shows its user why it was logged out. */
  public static final String REASON_REPLACED = "replaced";
  public static final String REASON_LOGGED_OUT = "logged-out";
  public static final String REASON_REMOVED = "removed";
  public static final String REASON_REREGISTERED = "reregistered";
  public static final String REASON_PRIMARY_INACTIVE = "primary-inactive";
  public static final String REASON_INACTIVE = "inactive";

  private final Map<String, Map<Long, DeviceConnection>> byAccount = new ConcurrentHashMap<>();
  private final RelayStorage storage;
  private final DeviceConnection.Acknowledgements acknowledgements;
  private final int window;

  public Connections(RelayStorage storage, Clock clock, Duration receiptTtl, int window) {
    this.storage = storage;
    this.acknowledgements = new Receipts(storage, clock, receiptTtl, this::ring);
    this.window = window;
  }

  public DeviceConnection open(ServerWebSocket socket, AuthenticatedDevice device) {
    DeviceConnection connection = new DeviceConnection(socket, device, storage, acknowledgements, window);
    DeviceConnection older = byAccount.computeIfAbsent(device.number(), n -> new ConcurrentHashMap<>())
        .put(device.deviceId(), connection);
    if (older != null) {
      older.close(REPLACED, REASON_REPLACED);
    }
    connection.start(() -> forget(connection));
    return connection;
  }

  /** The doorbell: the device's queue grew. */
  public void ring(String number, long deviceId) {
    DeviceConnection connection = connection(number, deviceId);
    if (connection != null) {
      connection.ring();
    }
  }

  public void notifyAccount(String number, JsonObject event) {
    Map<Long, DeviceConnection> devices = byAccount.get(number);
    if (devices != null) {
      devices.values().forEach(connection -> connection.event(event));
    }
  }

  public void notifyDevice(String number, long deviceId, JsonObject event) {
    DeviceConnection connection = connection(number, deviceId);
    if (connection != null) {
      connection.event(event);
    }
  }

  public void disconnect(String number, long deviceId, int code, String reason) {
    DeviceConnection connection = connection(number, deviceId);
    if (connection != null) {
      connection.close(code, reason);
    }
  }

  public int size() {
    return byAccount.values().stream().mapToInt(Map::size).sum();
  }

  private DeviceConnection connection(String number, long deviceId) {
    Map<Long, DeviceConnection> devices = byAccount.get(number);
    return devices == null ? null : devices.get(deviceId);
  }

  private void forget(DeviceConnection connection) {
    AuthenticatedDevice device = connection.device();
    byAccount.computeIfPresent(device.number(), (number, devices) -> {
      devices.remove(device.deviceId(), connection);
      return devices.isEmpty() ? null : devices;
    });
  }
}
