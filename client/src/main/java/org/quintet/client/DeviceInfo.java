package org.quintet.client;

/** One device of this account, as the relay lists it (name and platform are the device's own words). */
public record DeviceInfo(long deviceId, String name, String platform, long createdAt, long lastSeenAt,
    boolean thisDevice) {
  public boolean isPrimary() {
    return deviceId == 1;
  }
}
