package org.quintet.relay.verification;

import io.vertx.core.Future;

/** Delivers a registration code to the owner of a number (an SMS gateway, or the relay's log). */
public interface CodeSender {
  Future<Void> send(String number, String code);
}
