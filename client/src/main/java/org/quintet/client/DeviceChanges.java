package org.quintet.client;

import java.util.Set;

/**
 * How this account's devices changed, as its signed device list and the relay's registry now
 * say: devices that joined, and devices that left (removed, logged out, or unlinked by the relay).
 */
public record DeviceChanges(Set<Long> added, Set<Long> removed) {
  public DeviceChanges {
    added = Set.copyOf(added);
    removed = Set.copyOf(removed);
  }
}
