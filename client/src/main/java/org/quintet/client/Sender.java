package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.Limits;
import org.quintet.protocol.MessageType;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.Session;
import org.quintet.protocol.X3dh;

/**
 * Client fan-out: one copy of a content per device of the recipient and per other device of this
 * account, each device taken from its account's verified signed list, sessions set up (X3DH)
 * where missing, one request to the relay. When the relay says the set of devices is wrong
 * (409 DEVICE_MISMATCH) the lists are fetched again and the content encrypted again. Content for
 * one other device of this account alone (the history for a new companion) goes as a sync message.
 */
final class Sender {
  /** Retries after a DEVICE_MISMATCH: a list can change between the fetch and the send, but not forever. */
  static final int MAX_RETRIES = 3;
  /** Enough to sit out a few refills of the relay's send limit while a long history goes out. */
  static final int RATE_LIMIT_TRIES = 10;
  private final RelayAuth relay;
  private final LocalStore store;
  private final StoreWriter writer;
  private final AccountDirectory directory;
  private final KeySource source;
  private final Clock clock;

  Sender(RelayAuth relay, LocalStore store, StoreWriter writer, AccountDirectory directory, KeySource source,
      Clock clock) {
    this.relay = relay;
    this.store = store;
    this.writer = writer;
    this.directory = directory;
    this.source = source;
    this.clock = clock;
  }

  /** One device a copy goes to, with the session to encrypt it with. */
  private record Target(String number, long deviceId, int registrationId, Session session) {}

  /** The plaintexts of one message: the recipient's copy, and the copy for this account's other devices. */
  private record Copies(String to, byte[] forRecipient, byte[] forOwnDevices, long timestamp, boolean onlineOnly) {}

  /**
   * Sends the content to every device of {@code to} and to every other device of this account,
   * whose copies name {@code to} as their peer ({@code to} this account: its other devices alone).
   * {@code onlineOnly} asks the relay to hand it only to devices connected now and to keep it
   * nowhere (a typing signal: stale a moment later).
   */
  Future<SentMessage> send(String to, WritableContent content, boolean onlineOnly) {
    return send(new Copies(to, content.encode(), content.withPeer(to).encode(), content.timestamp(), onlineOnly));
  }

  /** Sends the content as it is (its peer the conversation it is about, if any) to this account's other devices alone. */
  Future<SentMessage> sendToOwnDevices(WritableContent content) {
    byte[] copy = content.encode();
    return send(new Copies(store.number(), copy, copy, content.timestamp(), false));
  }

  private Future<SentMessage> send(Copies copies) {
    if (copies.forOwnDevices().length > Limits.MAX_PLAINTEXT || copies.forRecipient().length > Limits.MAX_PLAINTEXT) {
      throw new IllegalArgumentException("the text is longer than a message may be");
    }
    return attempt(copies, source.bytes(Envelope.MESSAGE_ID_LENGTH), 0);
  }

  private Future<SentMessage> attempt(Copies copies, byte[] messageId, int retry) {
    String own = store.number();
    String to = copies.to();
    List<String> numbers = to.equals(own) ? List.of(own) : List.of(to, own);
    List<Future<TrustedAccount>> accounts = numbers.stream().map(directory::known).toList();
    return Future.all(accounts)
        .compose(all -> targets(accounts.stream().map(Future::result).toList(), (number, deviceId) -> true))
        .compose(targets -> Futures.of(() -> {
          JsonObject request = encrypt(copies, messageId, numbers, targets);
          return post(request).map(answer -> new SentMessage(Bytes.hex(messageId), to, copies.timestamp(),
              answer.getLong("serverTimestamp", 0L), targets.size()));
        }))
        .recover(error -> retryAfterMismatch(error, retry, () -> attempt(copies, messageId, retry + 1)));
  }

  /**
   * Sends content to one other device of this account alone, as a sync message (the relay checks
   * only that device; docs/relay-api.md, "Sending"). Answers the hex message id.
   */
  Future<String> sendSync(long deviceId, byte[] plaintext) {
    byte[] messageId = source.bytes(Envelope.MESSAGE_ID_LENGTH);
    return attemptSync(deviceId, messageId, plaintext, clock.millis(), 0).map(v -> Bytes.hex(messageId));
  }

  private Future<Void> attemptSync(long deviceId, byte[] messageId, byte[] plaintext, long timestamp, int retry) {
    String own = store.number();
    return directory.known(own)
        .compose(account -> {
          if (!account.deviceIds().contains(deviceId) || deviceId == store.deviceId()) {
            return Future.failedFuture(new IllegalArgumentException(
                "device " + deviceId + " is not another device of this account's signed device list"));
          }
          return targets(List.of(account), (number, id) -> id == deviceId);
        })
        .compose(targets -> Futures.of(() -> {
          JsonArray copies = new JsonArray().add(copy(targets.get(0), plaintext));
          JsonObject request = new JsonObject()
              .put("messageId", Base64.getEncoder().encodeToString(messageId))
              .put("timestamp", timestamp)
              .put("sync", true)
              .put("recipients", new JsonArray().add(new JsonObject().put("number", own).put("messages", copies)));
          return post(request).<Void>mapEmpty();
        }))
        .recover(error -> retryAfterMismatch(error, retry,
            () -> attemptSync(deviceId, messageId, plaintext, timestamp, retry + 1)));
  }

  private Future<JsonObject> post(JsonObject request) {
    // Saved before the relay sees the copies: a session that forgot this step would encrypt the
    // next message with the same message keys.
    return writer.save().compose(saved -> relay.callWaitingOutLimits(HttpMethod.POST, "/v1/messages", request,
        RATE_LIMIT_TRIES));
  }

  /** After a DEVICE_MISMATCH, the lists are fetched again and the send tried again, a few times. */
  private <T> Future<T> retryAfterMismatch(Throwable error, int retry, Supplier<Future<T>> again) {
    if (error instanceof RelayException refused && refused.is(409, "DEVICE_MISMATCH") && retry < MAX_RETRIES) {
      return forgetMismatched(refused.details()).compose(v -> again.get());
    }
    // Nothing was sent; whether the full queue is one of this account's own devices decides what helps.
    if (error instanceof QueueFullException full) {
      return Future.failedFuture(full.sentFrom(store.number()));
    }
    return Future.failedFuture(error);
  }

  /**
   * Every wanted device of the accounts but this one, each with a session: the one held, or a new
   * one (X3DH) where none is held or the held one is with an identity the list no longer gives it.
   */
  private Future<List<Target>> targets(List<TrustedAccount> accounts, BiPredicate<String, Long> wanted) {
    IdentityKeyPair identity = store.identity().orElseThrow();
    List<Future<Target>> targets = new ArrayList<>();
    for (TrustedAccount account : accounts) {
      for (long deviceId : account.deviceIds()) {
        String number = account.number();
        if (number.equals(store.number()) && deviceId == store.deviceId() || !wanted.test(number, deviceId)) {
          continue;
        }
        IdentityKey listed = account.identity(deviceId).orElseThrow();
        Optional<Session> held = store.session(number, deviceId).filter(s -> s.remoteIdentity().equals(listed));
        if (held.isPresent()) {
          targets.add(Future.succeededFuture(
              new Target(number, deviceId, account.registrationIds().get(deviceId), held.get())));
          continue;
        }
        targets.add(directory.bundle(number, deviceId).compose(trusted -> Futures.value(() -> {
          Session started = X3dh.initiate(source, identity, trusted.bundle());
          store.putSession(number, deviceId, started);
          return new Target(number, deviceId, trusted.registrationId(), started);
        })));
      }
    }
    return Future.all(targets).map(all -> targets.stream().map(Future::result).toList());
  }

  private JsonObject encrypt(Copies copies, byte[] messageId, List<String> numbers, List<Target> targets)
      throws ProtocolException {
    Map<String, JsonArray> messages = new LinkedHashMap<>();
    numbers.forEach(number -> messages.put(number, new JsonArray()));
    for (Target target : targets) {
      boolean own = target.number().equals(store.number());
      messages.get(target.number()).add(copy(target, own ? copies.forOwnDevices() : copies.forRecipient()));
    }
    JsonArray recipients = new JsonArray();
    messages.forEach((number, sent) -> {
      // The sender's own account is named only when it has other devices (the relay checks it anyway).
      if (!sent.isEmpty() || number.equals(copies.to())) {
        recipients.add(new JsonObject().put("number", number).put("messages", sent));
      }
    });
    JsonObject request = new JsonObject()
        .put("messageId", Base64.getEncoder().encodeToString(messageId))
        .put("timestamp", copies.timestamp())
        .put("recipients", recipients);
    if (copies.onlineOnly()) {
      request.put("online", true);
    }
    return request;
  }

  /** One device's copy: the plaintext encrypted in the target's session (which steps). */
  private static JsonObject copy(Target target, byte[] plaintext) throws ProtocolException {
    byte[] wire = target.session().encrypt(plaintext);
    int kind = MessageType.ofSessionMessage(wire) == MessageType.PREKEY
        ? Envelope.KIND_PREKEY_MESSAGE : Envelope.KIND_RATCHET_MESSAGE;
    return new JsonObject()
        .put("deviceId", target.deviceId())
        .put("registrationId", target.registrationId())
        .put("kind", kind)
        .put("content", Base64.getEncoder().encodeToString(wire));
  }

  /** Drops the sessions the relay called stale or extra and fetches each mismatched account again. */
  private Future<Void> forgetMismatched(JsonObject details) {
    JsonArray mismatches = details.getJsonArray("mismatches", new JsonArray());
    List<Future<TrustedAccount>> refreshed = new ArrayList<>();
    for (int i = 0; i < mismatches.size(); i++) {
      JsonObject mismatch = mismatches.getJsonObject(i);
      String number = mismatch.getString("number");
      for (String field : List.of("stale", "extra")) {
        mismatch.getJsonArray(field, new JsonArray())
            .forEach(id -> store.removeSession(number, ((Number) id).longValue()));
      }
      refreshed.add(directory.refresh(number));
    }
    return Future.all(refreshed).mapEmpty();
  }
}
