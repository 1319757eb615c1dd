package org.quintet.protocol;

/** Every bound of the protocol, named once (docs/protocol.md). */
public final class Limits {
  public static final int VERSION = 1;
  public static final int MAX_PLAINTEXT = 262_144;
  public static final int MAX_CONTENT = MAX_PLAINTEXT + 256;
  /** Message keys that one incoming message may make the receiver skip. */
  public static final int MAX_SKIP = 1000;
  /** Skipped message keys one session keeps; the oldest go first. */
  public static final int MAX_SKIPPED_KEYS = 2000;
  /** Replaced receiving ratchet keys a session remembers, to tell a replay from a forgery. */
  public static final int MAX_PREVIOUS_CHAINS = 20;
  public static final int MAX_LIST_DEVICES = 16;
  public static final int CODE_PBKDF2_ITERATIONS = 131_072;
  /** u64 fields carry at most 2^53-1, the largest integer a JavaScript number holds exactly. */
  public static final long MAX_U64 = (1L << 53) - 1;
  /** The plaintext bytes of one chunk of an attachment's blob (docs/protocol.md, 8a). */
  public static final int ATTACHMENT_CHUNK_SIZE = 65_536;
  /** The largest file an attachment carries (a relay may take less). */
  public static final long MAX_ATTACHMENT_SIZE = 1L << 31;

  private Limits() {}
}
