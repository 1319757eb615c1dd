package org.quintet.client;

/**
 * A change to a message (a reply to it, a reaction, an edit, a deletion) that the rules of
 * docs/protocol.md ("Contents") do not allow, refused before anything was sent: every device of
 * the conversation would drop it.
 */
public final class ChangeRefusedException extends RuntimeException {
  /** Why. */
  public enum Reason {
    /** This device holds no such message in that conversation. */
    UNKNOWN_MESSAGE,
    /** Only its author edits or deletes a message. */
    NOT_AUTHOR,
    /** Its window is past: an edit 15 minutes after the message, a deletion for everyone 2 days after. */
    TOO_LATE,
    /** Its author deleted it for everyone. */
    DELETED
  }

  private final Reason reason;

  ChangeRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
