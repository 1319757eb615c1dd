package org.quintet.relay.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.routing.Channels;
import org.quintet.relay.routing.NodeBus;
import org.quintet.relay.storage.RelayStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery connections of this node, and how any node reaches them. Every signal for a device
 * (its queue grew, an event, a disconnect) is published on its account's channel; the node that
 * holds the device's connection is subscribed to that channel while it holds any device of the
 * account. One delivery connection per device across the cluster: each new connection claims the
 * device with an epoch, and any connection with a lower epoch, on any node, is closed as replaced.
 *
 * <p>Signals can be lost in a cluster (while a node reconnects to Redis), never envelopes: after
 * every re-subscription, and every {@link RelayLimits#CONNECTION_RECHECK_INTERVAL}, each
 * connection looks at its queue, its claim and its device again. State changes on the event loop
 * of the node's sockets; the maps are concurrent only so that {@link #size} can be read from
 * anywhere.
 */
public final class Connections {
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  /** The devices of one account held here, and this node's subscription to the account's channel. */
  private static final class LocalAccount {
    final Map<Long, DeviceConnection> devices = new ConcurrentHashMap<>();
    final Future<NodeBus.Subscription> subscribed;
    /** Connections open or opening: the subscription ends when none is left. */
    int users;

    LocalAccount(Future<NodeBus.Subscription> subscribed) {
      this.subscribed = subscribed;
    }
  }

  private final Vertx vertx;
  private final NodeBus bus;
  private final RelayStorage storage;
  private final Clock clock;
  private final DeviceConnection.Acknowledgements acknowledgements;
  private final int window;
  private final String node = UUID.randomUUID().toString();
  private final Map<String, LocalAccount> accounts = new ConcurrentHashMap<>();
  private final long recheckTimer;
  private final RelayMetrics metrics;

  public Connections(Vertx vertx, NodeBus bus, RelayStorage storage, Clock clock, Duration receiptTtl, int window,
      RelayMetrics metrics) {
    this.vertx = vertx;
    this.bus = bus;
    this.storage = storage;
    this.clock = clock;
    this.acknowledgements = new Receipts(storage, clock, receiptTtl, this::ring, metrics);
    this.window = window;
    this.metrics = metrics;
    metrics.connectedDevices(this::size);
    if (bus.lossy()) {
      bus.onResubscribed(this::recheck);
      this.recheckTimer = vertx.setPeriodic(RelayLimits.CONNECTION_RECHECK_INTERVAL.toMillis(), id -> recheck());
    } else {
      this.recheckTimer = -1;
    }
  }

  /**
   * Accepts an authenticated device's delivery socket once this node hears its account's channel
   * and the device is claimed for it; refuses the upgrade with 503 when the cluster cannot be
   * reached, so the device retries (perhaps on another node). {@code onClosed} runs once, when the
   * socket has closed or was refused.
   */
  public void open(ServerWebSocketHandshake handshake, AuthenticatedDevice device, Runnable onClosed) {
    String number = device.number();
    LocalAccount account = accounts.computeIfAbsent(number,
        n -> new LocalAccount(bus.subscribe(Channels.account(n), message -> onSignal(n, message))));
    account.users++;
    account.subscribed
        .compose(v -> bus.claim(number, device.deviceId(), node))
        .compose(epoch -> handshake.accept().map(socket -> {
          DeviceConnection connection = new DeviceConnection(socket, device, epoch, storage, clock, acknowledgements, window,
              metrics);
          hold(account, connection, onClosed);
          return connection;
        }))
        .onSuccess(this::announce)
        .onFailure(e -> {
          LOG.warn("could not open delivery for {}/{}: {}", number, device.deviceId(), e.toString());
          release(number, account);
          handshake.reject(503);
          onClosed.run();
        });
  }

  private void hold(LocalAccount account, DeviceConnection connection, Runnable onClosed) {
    metrics.connectionOpened();
    connection.start(() -> {
      forget(account, connection);
      onClosed.run();
    });
    long deviceId = connection.device().deviceId();
    DeviceConnection other = account.devices.get(deviceId);
    if (other != null && other.epoch() > connection.epoch()) {
      connection.close(Close.REPLACED, Reason.REPLACED);
    } else {
      account.devices.put(deviceId, connection);
      if (other != null) {
        other.close(Close.REPLACED, Reason.REPLACED);
      }
    }
  }

  /** Tells the other nodes about the claim, and checks no newer claim came before this one listened. */
  private void announce(DeviceConnection connection) {
    AuthenticatedDevice device = connection.device();
    publish(device.number(), Signal.claim(device.deviceId(), connection.epoch()));
    checkClaim(connection);
  }

  private void forget(LocalAccount account, DeviceConnection connection) {
    metrics.connectionClosed();
    AuthenticatedDevice device = connection.device();
    account.devices.remove(device.deviceId(), connection);
    bus.release(device.number(), device.deviceId(), connection.epoch());
    release(device.number(), account);
  }

  private void release(String number, LocalAccount account) {
    account.users--;
    if (account.users == 0 && accounts.remove(number, account)) {
      account.subscribed.onSuccess(NodeBus.Subscription::unsubscribe);
    }
  }

  // --- signals, from any node -------------------------------------------------------------------

  /** The doorbell: the device's queue grew. */
  public void ring(String number, long deviceId) {
    publish(number, Signal.ring(deviceId));
  }

  /**
   * An online envelope: the node holding the device's connection writes it, if the device is still
   * connected there; nothing keeps it anywhere else.
   */
  public void online(String number, long deviceId, byte[] envelope) {
    publish(number, Signal.online(deviceId, envelope));
  }

  /** The devices of the account that hold a delivery connection, on any node. */
  public Future<Set<Long>> connected(String number) {
    return bus.claimedDevices(number);
  }

  public void notifyAccount(String number, JsonObject event) {
    publish(number, Signal.event(0, event));
  }

  public void notifyDevice(String number, long deviceId, JsonObject event) {
    publish(number, Signal.event(deviceId, event));
  }

  public void disconnect(String number, long deviceId, int code, String reason) {
    publish(number, Signal.close(deviceId, code, reason));
  }

  private void publish(String number, Signal signal) {
    bus.publish(Channels.account(number), signal.encode()).onFailure(e ->
        LOG.debug("signal {} for {} not published: {}", signal.type(), number, e.toString()));
  }

  private void onSignal(String number, String message) {
    LocalAccount account = accounts.get(number);
    Signal signal = Signal.decode(message).orElse(null);
    if (account == null || signal == null) {
      return;
    }
    if (signal.type().equals(Signal.EVENT) && signal.forAllDevices()) {
      List.copyOf(account.devices.values()).forEach(connection -> connection.event(signal.event()));
      return;
    }
    DeviceConnection connection = account.devices.get(signal.deviceId());
    if (connection == null) {
      return;
    }
    switch (signal.type()) {
      case Signal.RING -> connection.ring();
      case Signal.ONLINE -> connection.online(signal.envelope());
      case Signal.EVENT -> connection.event(signal.event());
      case Signal.CLOSE -> connection.close(signal.code(), signal.reason());
      case Signal.CLAIM -> {
        if (signal.epoch() > connection.epoch()) {
          connection.close(Close.REPLACED, Reason.REPLACED);
        }
      }
      default -> { }
    }
  }

  // --- what a lost signal would have said -------------------------------------------------------

  private void recheck() {
    accounts.values().forEach(account -> List.copyOf(account.devices.values()).forEach(connection -> {
      connection.ring();
      checkClaim(connection);
      AuthenticatedDevice device = connection.device();
      storage.device(device.number(), device.deviceId()).onSuccess(found -> {
        if (found.isEmpty()) {
          connection.close(Close.DEVICE_REMOVED, Reason.REMOVED);
        }
      });
    }));
  }

  private void checkClaim(DeviceConnection connection) {
    AuthenticatedDevice device = connection.device();
    bus.newestClaim(device.number(), device.deviceId()).onSuccess(newest -> {
      if (newest > connection.epoch()) {
        connection.close(Close.REPLACED, Reason.REPLACED);
      }
    });
  }

  /** Delivery connections held by this node. */
  public int size() {
    return accounts.values().stream().mapToInt(account -> account.devices.size()).sum();
  }

  public void close() {
    if (recheckTimer >= 0) {
      vertx.cancelTimer(recheckTimer);
    }
  }
}
