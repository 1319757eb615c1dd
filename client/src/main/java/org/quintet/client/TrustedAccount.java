package org.quintet.client;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKey;

/**
 * An account as this device trusts it: its verified signed device list, and the devices of that
 * list the relay says are registered, with their registration ids (for addressing only).
 */
public record TrustedAccount(String number, DeviceList list, Map<Long, Integer> registrationIds) {
  public TrustedAccount {
    registrationIds = Map.copyOf(registrationIds);
  }

  /** The identity the signed list gives this device, if it lists it. */
  public Optional<IdentityKey> identity(long deviceId) {
    return list.devices().stream().filter(d -> d.id() == deviceId).map(DeviceList.Device::identity).findFirst();
  }

  /** The devices to address: those the relay said are registered that the signed list holds, in id order. */
  public Set<Long> deviceIds() {
    Set<Long> ids = new TreeSet<>(registrationIds.keySet());
    ids.removeIf(id -> identity(id).isEmpty());
    return ids;
  }

  public byte[] accountKey() {
    return list.accountKey();
  }
}
