package org.quintet.client;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which rows changed since the last save: the keys alone, so a row changed twice is written once,
 * with its value at the time of the save. A cleared part is written whole (emptied, then every
 * row it holds); so is everything after a write that failed, since what it held is unknown.
 */
final class PendingChanges {
  final Set<StoreTable> cleared = EnumSet.noneOf(StoreTable.class);
  boolean device;
  final Set<Long> signedPreKeys = new HashSet<>();
  final Set<Long> oneTimePreKeys = new HashSet<>();
  final Set<String> accounts = new HashSet<>();
  /** Seen ids that came or went, by their place. */
  final Map<Long, String> seen = new HashMap<>();
  final Set<Long> history = new HashSet<>();
  final Set<String> profiles = new HashSet<>();
  final Set<String> profileShares = new HashSet<>();

  void clear(StoreTable table) {
    cleared.add(table);
  }

  void clearAll() {
    cleared.addAll(EnumSet.allOf(StoreTable.class));
  }

  void reset() {
    cleared.clear();
    device = false;
    signedPreKeys.clear();
    oneTimePreKeys.clear();
    accounts.clear();
    seen.clear();
    history.clear();
    profiles.clear();
    profileShares.clear();
  }
}
