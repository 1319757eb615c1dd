package org.quintet.relay.limits;

import java.util.Locale;

/**
 * Every abuse limit of the relay, in one table (docs/relay-api.md, "Limits", lists them with their
 * defaults). Each is named once here, with what it protects and why its default is where it is;
 * the numbers themselves are operator settings, in {@code conf/quintet.json}: a rate limiter's
 * bucket under {@code rateLimits.NAME}, a cap under {@code connectionLimits.NAME}.
 *
 * <p>A {@link Kind#RATE rate limiter} is a token bucket per key: {@code bucketSize} requests at
 * once, refilled evenly so that an empty bucket is full again after {@code refillSeconds}. One node
 * keeps its buckets in memory; a cluster shares them through Redis, so a client gains nothing by
 * spreading its requests over the nodes. A {@link Kind#CONCURRENT cap} counts what is open at once
 * from one client address, on each node: what it protects (a node's file descriptors and memory)
 * is each node's own.
 *
 * <p>Every refusal is counted in {@code quintet_rate_limited_total{limiter=...}} by {@link #label}.
 */
public enum Limiter {
  // --- registration: a code costs the operator an SMS, and guessing one takes over a number --------

  /**
   * Codes asked for from one client address. A household or an office registers a few phones; one
   * script once had 2 000 codes sent to 2 000 numbers in seconds. Checked first, so that a script
   * refused here uses up nothing of the numbers it names.
   */
  VERIFICATION_CODES_PER_IP(Kind.RATE, "verificationCodesPerIp", Key.CLIENT_IP),
  /**
   * Codes sent to one number. A person whose SMS is late asks again once or twice; more than a few
   * in half an hour is someone else pestering the number's owner at the operator's cost.
   */
  VERIFICATION_CODES_PER_NUMBER(Kind.RATE, "verificationCodesPerNumber", Key.NUMBER),
  /**
   * Codes sent by the whole relay (every node of a cluster together): bounds what a script spread
   * over many addresses can cost the operator's SMS account in a minute. A self-hosted relay
   * registers a handful of numbers a day.
   */
  VERIFICATION_CODES_TOTAL(Kind.RATE, "verificationCodesTotal", Key.RELAY),
  /**
   * Code checks ({@code POST /v1/registration/verify}) from one client address: a person types a
   * code a few times; a script sprayed 688 wrong guesses a second over many numbers.
   */
  VERIFICATION_ATTEMPTS_PER_IP(Kind.RATE, "verificationAttemptsPerIp", Key.CLIENT_IP),
  /**
   * Code checks for one number, over every code it is sent. A new code starts a clean count of
   * wrong codes, so without this bound a guesser would ask for a code, guess, and ask again; with
   * it, a number gets a few dozen guesses a day at a 6-digit code, and an owner locked out by
   * someone else's guesses is let in again within minutes.
   */
  VERIFICATION_ATTEMPTS_PER_NUMBER(Kind.RATE, "verificationAttemptsPerNumber", Key.NUMBER),

  // --- linking by phone number and code: each request rings the number's primary -------------------

  /** Pairing requests from one client address: a companion retries a few times, not for every number. */
  PAIRINGS_PER_IP(Kind.RATE, "pairingsPerIp", Key.CLIENT_IP),
  /**
   * Pairing requests for one number, from anywhere: each one notifies the primary, so more than a
   * few in ten minutes is someone pestering its owner.
   */
  PAIRINGS_PER_NUMBER(Kind.RATE, "pairingsPerNumber", Key.NUMBER),

  // --- prekeys: each bundle hands out one of the target device's one-time prekeys ---------------------

  /**
   * Bundle fetches ({@code GET /v1/keys/...}) by one account, any of its devices: a device fetches
   * once per contact it starts a session with, so dozens in ten minutes is already a lot.
   */
  PRE_KEY_FETCHES_PER_ACCOUNT(Kind.RATE, "preKeyFetchesPerAccount", Key.ACCOUNT),
  /**
   * Bundle fetches of one account's keys, by anyone. Fewer than the one-time prekeys a device keeps
   * (100 by the clients, 10 before it is told to upload more), so a stranger cannot use them all up
   * while the owner is offline; 25 fetches once drained a victim's 20.
   */
  PRE_KEY_FETCHES_PER_TARGET(Kind.RATE, "preKeyFetchesPerTarget", Key.NUMBER),

  // --- sending -----------------------------------------------------------------------------------------

  /**
   * Sends ({@code POST /v1/messages}) by one device. A person sends a few a second at most, a group
   * message is one send per member, and a history bundle a burst of parts: the bucket holds such a
   * burst; a script flooding its contacts is held to the refill rate.
   */
  SENDS_PER_DEVICE(Kind.RATE, "sendsPerDevice", Key.DEVICE),

  // --- the account's devices: each change rings every connected device of the account -----------------

  /**
   * Renames ({@code PUT /v1/devices/{id}/name}) in one account, by any of its devices. Each one
   * makes every connected device of the account fetch its devices again; a person renames a device
   * now and then and fixes a typo or two, so the bucket holds such a burst, and a script renaming in
   * a loop is held to one a minute.
   */
  DEVICE_RENAMES_PER_ACCOUNT(Kind.RATE, "deviceRenamesPerAccount", Key.ACCOUNT),

  // --- attachments: each blob takes disk or object storage until it expires -----------------------------

  /**
   * Blobs created ({@code POST /v1/blobs}) by one account, any of its devices. The quota bounds what
   * an account's blobs take at once; this bounds how fast it churns through it. A person sends a
   * few dozen photos in an hour at most, and each one is one blob.
   */
  BLOB_UPLOADS_PER_ACCOUNT(Kind.RATE, "blobUploadsPerAccount", Key.ACCOUNT),

  // --- connections: what a node holds open for one client address ------------------------------------

  /**
   * TCP connections to the relay's port from one address, whatever they carry (idle, half-sent,
   * HTTP; a connection that became a WebSocket counts until it closes). A browser opens six; one
   * client holding thousands used up a node's file descriptors. Not counted for a trusted proxy,
   * whose connections carry many clients: its clients' sockets are still capped below.
   */
  CONNECTIONS_PER_IP(Kind.CONCURRENT, "connectionsPerIp", Key.CLIENT_IP),
  /**
   * Delivery WebSockets from one client address: one per device, so an office behind one address
   * needs many, but a client opening thousands holds a node's memory for nothing.
   */
  DELIVERY_SOCKETS_PER_IP(Kind.CONCURRENT, "deliverySocketsPerIp", Key.CLIENT_IP),
  /**
   * Provisioning WebSockets (pages waiting to be linked) from one client address: a person links a
   * browser or two at a time; 4 000 from one client once locked everyone else out of a node.
   */
  PROVISIONING_SOCKETS_PER_IP(Kind.CONCURRENT, "provisioningSocketsPerIp", Key.CLIENT_IP);

  /** A token bucket shared by the cluster, or a count of open connections on each node. */
  public enum Kind { RATE, CONCURRENT }

  /** What a limiter counts per. */
  public enum Key {
    /** The client's address ({@link ClientIp}): IPv4, or the /64 of an IPv6 address. */
    CLIENT_IP,
    /** A phone number, with or without an account. */
    NUMBER,
    /** The authenticated caller's account (its number), whichever of its devices calls. */
    ACCOUNT,
    /** The authenticated caller's device. */
    DEVICE,
    /** The whole relay: every node of a cluster counts in one bucket. */
    RELAY
  }

  private final Kind kind;
  private final String setting;
  private final Key key;

  Limiter(Kind kind, String setting, Key key) {
    this.kind = kind;
    this.setting = setting;
    this.key = key;
  }

  public Kind kind() {
    return kind;
  }

  /** The limiter's name in {@code conf/quintet.json} and in docs/relay-api.md. */
  public String setting() {
    return setting;
  }

  public Key key() {
    return key;
  }

  /** The value of the metric's {@code limiter} label: the name in snake case, like every label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** This limiter's bucket for {@code key} (an address, a number, {@code number/device}, or "all"). */
  public Take of(String key) {
    if (kind != Kind.RATE) {
      throw new IllegalStateException(this + " is a cap, not a rate");
    }
    return new Take(this, key);
  }

  /** One token from one limiter's bucket for one key. */
  public record Take(Limiter limiter, String key) {}
}
