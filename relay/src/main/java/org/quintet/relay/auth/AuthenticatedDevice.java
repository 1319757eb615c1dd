package org.quintet.relay.auth;

/** The device a request or connection speaks for, as its token proved. */
public record AuthenticatedDevice(String number, long deviceId, int registrationId) {
  public boolean isPrimary() {
    return deviceId == 1;
  }
}
