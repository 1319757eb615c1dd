package org.quintet.relay.routing;

/**
 * Channel names. Each carries a hash tag, so a sharded channel lives in the Redis Cluster slot of
 * what it is about: an account's channel and its presence hash share the slot of its other keys
 * ({@code q:{NUMBER}:...}); a waiting companion's channel is tagged with its socket's id.
 */
public final class Channels {
  private Channels() {}

  /** Signals for the devices of an account: doorbell, events, disconnects, claims. */
  public static String account(String number) {
    return "q:{" + number + "}:bell";
  }

  /** Messages for a companion waiting to be linked, on whichever node holds its socket. */
  public static String provisioningSocket(String socketId) {
    return "q:{link:" + socketId + "}:bell";
  }

  /** The presence hash of an account: device id → "EPOCH NODE" of the connection that holds it. */
  static String presence(String number) {
    return "q:{" + number + "}:presence";
  }
}
