package org.quintet.cli;

/** The exit codes of every verb, so that a script can tell what went wrong. */
public final class ExitCodes {
  public static final int OK = 0;
  /** Bad arguments: an unknown verb or option, a malformed number or URL. */
  public static final int USAGE = 1;
  /** The relay answered with an error (its code and message are printed). */
  public static final int RELAY_REFUSED = 2;
  /** The relay could not be reached, or the connection to it was lost. */
  public static final int UNREACHABLE = 3;
  /** This home is not registered, or its device was logged out. */
  public static final int NOT_REGISTERED = 4;
  /** An end-to-end check refused what the relay gave (a device list, a key, a message). */
  public static final int UNTRUSTED = 5;
  /** The home directory cannot be used (in use by another process, unreadable, unwritable). */
  public static final int LOCAL_STATE = 6;
  /** Linking did not complete: a wrong code, a request that ended, a timeout, too many devices. */
  public static final int LINK_FAILED = 7;
  /** The message was not sent: a device it was for has as many messages waiting on the relay as it may hold. */
  public static final int QUEUE_FULL = 8;
  /**
   * A change to a message was not sent: this device holds no such message in that chat, or it may
   * not be changed (by this account, or any more: an edit after 15 minutes, a deletion after 2 days).
   */
  public static final int MESSAGE_REFUSED = 9;
  /** A fault of this program. */
  public static final int INTERNAL = 10;

  private ExitCodes() {}
}
