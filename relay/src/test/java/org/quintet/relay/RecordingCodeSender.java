package org.quintet.relay;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.quintet.relay.verification.CodeSender;

/** A verification sender for tests: remembers the last code sent to each number. */
final class RecordingCodeSender implements CodeSender {
  private final Map<String, String> codes = new ConcurrentHashMap<>();
  private final AtomicInteger sent = new AtomicInteger();

  @Override
  public Future<Void> send(String number, String code) {
    codes.put(number, code);
    sent.incrementAndGet();
    return Future.succeededFuture();
  }

  /** How many codes went out, to any number. */
  int sent() {
    return sent.get();
  }

  /** Whether a code went to {@code number}. */
  boolean sentTo(String number) {
    return codes.containsKey(number);
  }

  String codeFor(String number) {
    String code = codes.get(number);
    if (code == null) {
      throw new AssertionError("no code was sent to " + number);
    }
    return code;
  }

  @Override
  public String channel() {
    return "log";
  }
}
