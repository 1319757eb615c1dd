package org.quintet.relay;

import java.time.Duration;

/**
 * The relay's fixed limits and timeouts, in one table, each with why it has its value. What an
 * operator tunes is not here but in {@code conf/quintet.json} ({@link RelayConfig}); bounds the
 * protocol fixes for every implementation are in {@link org.quintet.protocol.Limits}; how much one
 * client or account may ask for is in {@link org.quintet.relay.limits.Limiter}.
 */
public final class RelayLimits {
  private RelayLimits() {}

  // --- registration and log-in ------------------------------------------------------------------

  /** Time to sign and answer over a slow link; a challenge seen by someone else is stale a minute later. */
  public static final Duration CHALLENGE_LIFETIME = Duration.ofSeconds(60);
  /** "Last seen" feeds rules counted in days: one write a minute per device is precise enough. */
  public static final Duration LAST_SEEN_STEP = Duration.ofMinutes(1);
  /** An SMS gateway answers in seconds; a registration fails rather than hangs on one that does not. */
  public static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

  // --- linking -----------------------------------------------------------------------------------

  /** A companion's page waits this long for a scan or a code, so abandoned pages' sockets do not pile up. */
  public static final Duration PROVISIONING_SOCKET_LIFETIME = Duration.ofMinutes(5);
  /** The QR code changes this often (the brief asks 20 to 60 s), so a photo of an old one is soon worthless. */
  public static final Duration LINK_ADDRESS_LIFETIME = Duration.ofSeconds(60);
  /** Time to read an 8-character code on one screen and type it on another. */
  public static final Duration PAIRING_LIFETIME = Duration.ofMinutes(3);
  /** Room for typos, too few guesses to matter against 8 characters from 32 symbols. */
  public static final int MAX_PAIRING_WRONG_CODES = 3;
  /** A sealed provisioning message or pairing reply is a few KiB; a bound this size is generous. */
  public static final int MAX_PROVISIONING_MESSAGE_CHARS = 64 * 1024;

  // --- requests and delivery ------------------------------------------------------------------------

  /** A message goes to one other account plus the sender's own devices; groups are one send per member. */
  public static final int MAX_ACCOUNTS_PER_SEND = 2;
  /** A signed list of at most 16 devices is under 4 KiB; a bound keeps a request from costing much to verify. */
  public static final int MAX_DEVICE_LIST_BYTES = 64 * 1024;
  /** A device's name is shown in a list of devices; longer ones are no use there. */
  public static final int MAX_DEVICE_NAME_CHARS = 64;
  /** A platform is a word or two ("android", "web"). */
  public static final int MAX_PLATFORM_CHARS = 32;
  /** Below this, ordinary requests (a device list, a full prekey upload) could not be made at all. */
  public static final int MIN_BODY_BYTES = 64 * 1024;
  /** Devices send small JSON frames (acknowledgements, pairing steps); a bound stops one making a node buffer much. */
  public static final int MAX_DEVICE_FRAME_BYTES = 64 * 1024;
  /** Bounds one acknowledgement write (one script, or one DELETE ... IN) when a device acknowledges a long queue. */
  public static final int MAX_ACKNOWLEDGEMENTS_PER_WRITE = 512;
  /**
   * A request line is a method and a path with a number and a device id, or the delivery socket's
   * path with its token: well under 1 KiB. Longer ones are refused (414) before anything reads them.
   */
  public static final int MAX_REQUEST_LINE_BYTES = 4096;
  /**
   * Clients send a few short headers; a browser's, with a proxy's on top, stay far below this. Past
   * it a request is refused (431) before its headers are kept.
   */
  public static final int MAX_HEADER_BYTES = 8192;
  /**
   * An online message's content (a typing signal is a few hundred bytes, a call's session
   * description a few KiB): an online envelope crosses a cluster as a pub/sub message, which Redis
   * buffers for each subscribed node, dropping the node's subscriptions past its output limit (by
   * default 32 MiB, or 8 MiB for a minute).
   */
  public static final int MAX_ONLINE_CONTENT = 64 * 1024;
  /** A doorbell or a claim lost while a node reconnects to Redis delays a delivery by this at most. */
  public static final Duration CONNECTION_RECHECK_INTERVAL = Duration.ofSeconds(30);

  // --- housekeeping and stopping -----------------------------------------------------------------

  /**
   * An expired envelope is never sent, and a connection that meets one in its queue removes it: the
   * purge only clears queues nobody reads, so hourly is enough.
   */
  public static final Duration HOUSEKEEPING_INTERVAL = Duration.ofHours(1);
  /** A node's turn lapses a little before the next period, so that the first node to ask then gets it. */
  public static final Duration HOUSEKEEPING_TURN = HOUSEKEEPING_INTERVAL.multipliedBy(9).dividedBy(10);
  /** A stopping node answers the requests it took within this; common stop timeouts are 10 s. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  /** After the grace, closing storage and Vert.x; a checkpoint of the embedded database takes far less. */
  public static final Duration SHUTDOWN_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  // --- connections -------------------------------------------------------------------------------

  /** A client sends its request as soon as it connects; a connection that sent none by then is held open for nothing. */
  public static final Duration REQUEST_START_TIMEOUT = Duration.ofSeconds(10);

  // --- HTTPS ---------------------------------------------------------------------------------------

  /** certbot renews weeks ahead, so a minute's delay in picking up its files costs nothing; a stat is cheap. */
  public static final Duration TLS_RENEWAL_CHECK = Duration.ofMinutes(1);
  // --- metrics -------------------------------------------------------------------------------------

  /** Counting every queued envelope costs a pass over the queues; a queue-depth alert looks at minutes anyway. */
  public static final Duration QUEUE_DEPTH_REFRESH = Duration.ofMinutes(1);
  /** A scrape waits this long for a due count, well within Prometheus's default 10 s scrape timeout. */
  public static final Duration QUEUE_DEPTH_SCRAPE_WAIT = Duration.ofSeconds(3);

  // --- Redis ---------------------------------------------------------------------------------------

  /** A Redis on the same network connects in milliseconds; past this it counts as down and calls fail at once. */
  public static final Duration REDIS_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** The first retry after Redis went away: a restart is noticed within this. */
  public static final Duration REDIS_FIRST_RETRY = Duration.ofMillis(50);
  /** Retries back off to this: one PING every few seconds costs nothing while Redis stays down. */
  public static final Duration REDIS_LAST_RETRY = Duration.ofSeconds(5);
  /** A subscription Redis has not confirmed by then will not be (its slot moved): reconnecting is faster. */
  public static final Duration REDIS_SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);
  /** More calls in flight on one connection than any node makes fail at once, not in an unbounded queue. */
  public static final int REDIS_MAX_WAITING_CALLS = 100_000;
  /** Long-lived pipelined connections on a Redis Cluster: enough to keep 2 cores busy (docs/performance.md). */
  public static final int REDIS_CLUSTER_LANES = 4;
  /** Per endpoint: the lanes, a probe, and a Cluster's redirections to a moved slot's master. */
  public static final int REDIS_MAX_POOL_SIZE = 16;
  /** Numbers per SSCAN page of the hourly walks, so neither Redis nor the node takes the whole set at once. */
  public static final int REDIS_WALK_PAGE = 500;

  // --- the embedded database -----------------------------------------------------------------------

  /** The writer is the only writer, so lock waits are rare and short (a reader opening during a checkpoint). */
  public static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);
  /** Bounds the work, and so the callers' wait, that one commit of the group-commit writer holds. */
  public static final int SQLITE_MAX_WRITES_PER_COMMIT = 512;
  /** Queries of different callers run side by side; the relay's target machines have few cores. */
  public static final int SQLITE_READERS = 2;
  /**
   * After a commit, the writer empties and truncates the WAL once it has been quiet this long, so
   * an acknowledged envelope's old pages leave the disk within moments, not at some later checkpoint.
   */
  public static final Duration SQLITE_SCRUB_DELAY = Duration.ofMillis(100);
  /** While writes keep coming, the WAL is emptied at least this often: a checkpoint a second costs little. */
  public static final Duration SQLITE_SCRUB_INTERVAL = Duration.ofSeconds(1);
  /** Emptying the WAL waits for readers in a query this long at most; it is tried again later. */
  public static final Duration SQLITE_SCRUB_BUSY_WAIT = Duration.ofMillis(100);
}
