package org.quintet.client;

/**
 * What a companion that is being linked shows its user. Once linked, the companion receives, and
 * the same listener gets what arrives (the history first). Called on the client's event loop: an
 * implementation must not block.
 */
public interface LinkListener extends MessageListener {
  /** A new QR code to show (QR linking): at first and at every rotation of the relay address. */
  default void onLinkUri(String uri) {}

  /** The code {@code XXXX-XXXX} to show (code linking); the user types it on the primary. */
  default void onLinkCode(String code) {}

  /** The primary typed another code; the request stays open for another try there. */
  default void onWrongCode() {}
}
