package org.quintet.relay.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.storage.Device;
import org.quintet.relay.storage.RelayStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle rules: when an account's primary has not been seen for {@code primaryInactive},
 * every companion of the account is logged out; a companion not seen for
 * {@code companionInactive} is unlinked. "Seen" means authenticated to the relay.
 */
public final class InactiveDevices {
  private static final Logger LOG = LoggerFactory.getLogger(InactiveDevices.class);
  private static final JsonObject DEVICES_CHANGED = new JsonObject().put("type", Event.DEVICES_CHANGED);
  private final RelayStorage storage;
  private final Connections connections;
  private final Clock clock;
  private final Duration primaryInactive;
  private final Duration companionInactive;

  public InactiveDevices(RelayStorage storage, Connections connections, Clock clock, Duration primaryInactive,
      Duration companionInactive) {
    this.storage = storage;
    this.connections = connections;
    this.clock = clock;
    this.primaryInactive = primaryInactive;
    this.companionInactive = companionInactive;
  }

  /** Applies both rules now; returns how many companions were removed. */
  public Future<Integer> sweep() {
    long now = clock.millis();
    // The later of the two cut-offs: every device either rule may apply to (each is checked below).
    long cutoff = Math.max(now - primaryInactive.toMillis(), now - companionInactive.toMillis());
    return storage.devicesNotSeenSince(cutoff + 1).compose(candidates -> {
      Set<String> inactivePrimaries = new LinkedHashSet<>();
      List<Device> companions = new ArrayList<>();
      for (Device device : candidates) {
        if (device.isPrimary() && device.lastSeenAt() < now - primaryInactive.toMillis()) {
          inactivePrimaries.add(device.number());
        } else if (!device.isPrimary() && device.lastSeenAt() < now - companionInactive.toMillis()) {
          companions.add(device);
        }
      }
      List<Future<Integer>> removals = new ArrayList<>();
      for (String number : inactivePrimaries) {
        removals.add(storage.devices(number).compose(devices -> removeAll(devices.stream()
            .filter(d -> !d.isPrimary()).toList(), Reason.PRIMARY_INACTIVE)));
      }
      removals.add(removeAll(companions.stream().filter(d -> !inactivePrimaries.contains(d.number())).toList(),
          Reason.INACTIVE));
      return Future.all(removals).map(all -> removals.stream().mapToInt(Future::result).sum());
    });
  }

  private Future<Integer> removeAll(List<Device> devices, String reason) {
    List<Future<Boolean>> removed = new ArrayList<>();
    for (Device device : devices) {
      removed.add(storage.removeDevice(device.number(), device.deviceId()).onSuccess(gone -> {
        if (gone) {
          LOG.info("logged out device {} of {} ({})", device.deviceId(), device.number(), reason);
          connections.disconnect(device.number(), device.deviceId(), Close.DEVICE_REMOVED, reason);
          connections.notifyAccount(device.number(), DEVICES_CHANGED);
        }
      }));
    }
    return Future.all(removed).map(all -> (int) removed.stream().filter(Future::result).count());
  }
}
