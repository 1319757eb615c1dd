package org.quintet.client;

import java.util.Map;

/**
 * What a device remembers about one account: the account key it saw, the last signed device list
 * it accepted (so that a relay cannot roll the account back to an older list, docs/protocol.md
 * 6.3), and the registration ids the relay gave for the devices in that list (needed to address
 * them; unsigned, so never trusted for anything but addressing).
 */
public record KnownAccount(byte[] accountKey, byte[] deviceList, Map<Long, Integer> registrationIds) {
  public KnownAccount {
    accountKey = accountKey.clone();
    deviceList = deviceList.clone();
    registrationIds = Map.copyOf(registrationIds);
  }

  @Override
  public byte[] accountKey() {
    return accountKey.clone();
  }

  @Override
  public byte[] deviceList() {
    return deviceList.clone();
  }
}
