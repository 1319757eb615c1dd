package org.quintet.client;

import org.quintet.protocol.Delivery.Reason;

/**
 * Why a device is logged out: the relay's close reason (docs/relay-api.md, "Delivery"), kept in
 * the home as the word the relay gave, and shown to the user as a sentence.
 */
public final class LogoutReason {
  /** The client's own word: the relay refused this device's token without saying why. */
  public static final String GONE = "gone";

  private LogoutReason() {}

  /** The sentence for a reason; a word this client does not know is shown as it is. */
  public static String describe(String reason) {
    if (reason == null) {
      return "the relay logged this device out";
    }
    return switch (reason) {
      case Reason.REMOVED -> "the account's primary removed this device";
      case Reason.LOGGED_OUT -> "this device logged itself out";
      case Reason.REREGISTERED ->
          "this number was registered on another device, which logged out every earlier device of it";
      case Reason.PRIMARY_INACTIVE ->
          "the account's primary was not seen for too long, so every linked device was logged out";
      case Reason.INACTIVE -> "this device was not used for too long, so the relay unlinked it";
      case GONE ->
          "the relay no longer knows this device: it was removed, or the number was registered on another phone";
      default -> reason;
    };
  }
}
