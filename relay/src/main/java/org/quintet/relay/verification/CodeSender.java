package org.quintet.relay.verification;

import io.vertx.core.Future;

/** Delivers a registration code to the owner of a number (an SMS gateway, or the relay's log). */
public interface CodeSender {
  Future<Void> send(String number, String code);

  /**
   * Where the codes go, told to whoever asks for one so that they know where to look: {@code log}
   * (the relay's log, read by its operator) or {@code webhook} (an SMS gateway).
   */
  String channel();
}
