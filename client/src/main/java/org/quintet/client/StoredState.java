package org.quintet.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device's state as read from its home, the database or the JSON file it replaced. Sessions are
 * still in their serialised form ({@code Session.toBytes()}, the active one first); seen ids map
 * to their place in the order they came, oldest first.
 */
final class StoredState {
  DeviceRecord device = new DeviceRecord();
  final Map<Long, byte[]> signedPreKeys = new TreeMap<>();
  final Map<Long, byte[]> oneTimePreKeys = new TreeMap<>();
  final Map<DeviceAddress, List<byte[]>> sessions = new LinkedHashMap<>();
  final Map<String, KnownAccount> accounts = new TreeMap<>();
  final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
  final List<HistoryRow> history = new ArrayList<>();
  final Map<String, ProfileName> profiles = new TreeMap<>();
  /** The time of this account's profile each account was last sent. */
  final Map<String, Long> profileShares = new TreeMap<>();
}
