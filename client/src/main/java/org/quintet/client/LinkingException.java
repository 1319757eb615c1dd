package org.quintet.client;

/**
 * Linking did not complete, for a reason the user can act on: {@link #reason()} says which.
 * Nothing was signed into the account's device list.
 */
public final class LinkingException extends RuntimeException {
  /** Why linking stopped. */
  public enum Reason {
    /** The primary typed another code than the companion shows; {@link #attemptsLeft()} more may be tried. */
    WRONG_CODE,
    /** The relay ended the linking request (it expired, too many wrong codes, the companion left). */
    ENDED,
    /** The other side did not answer in time. */
    TIMED_OUT,
    /** The primary was given a code while no companion had asked to link to its number. */
    NO_REQUEST,
    /** The account has as many companions as the relay allows. */
    TOO_MANY_DEVICES
  }

  private final Reason reason;
  private final int attemptsLeft;

  public LinkingException(Reason reason, String message) {
    this(reason, message, -1);
  }

  public LinkingException(Reason reason, String message, int attemptsLeft) {
    super(message, null, false, false);
    this.reason = reason;
    this.attemptsLeft = attemptsLeft;
  }

  public Reason reason() {
    return reason;
  }

  /** For {@link Reason#WRONG_CODE}: how many more codes the relay lets the primary try; else -1. */
  public int attemptsLeft() {
    return attemptsLeft;
  }
}
