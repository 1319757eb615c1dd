package org.quintet.relay.api;

import java.util.LinkedHashSet;
import java.util.Set;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.DeviceCert;

/**
 * The device ids of a stored device list. Stored lists were verified when they were uploaded, so
 * the hot path reads the ids without verifying signatures again.
 */
final class DeviceListIds {
  private static final int HEADER_LENGTH = 50;
  private static final int ID_OFFSET = 33;

  private DeviceListIds() {}

  static Set<Long> of(byte[] storedList) {
    int count = storedList[49] & 0xFF;
    Set<Long> ids = new LinkedHashSet<>();
    for (int i = 0; i < count; i++) {
      ids.add(Bytes.readU32(storedList, HEADER_LENGTH + DeviceCert.LENGTH * i + ID_OFFSET));
    }
    return ids;
  }
}
