package org.quintet.relay.api;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.Limits;
import org.quintet.protocol.MessageType;
import org.quintet.protocol.ProtocolException;
import org.quintet.relay.RelayConfig;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.limits.Limiter;
import org.quintet.relay.limits.RateLimiters;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.Account;
import org.quintet.relay.storage.Device;
import org.quintet.relay.storage.QueuedEnvelope;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StorageException;

/**
 * Sending: one request carries an envelope for every device that must get the message; the relay
 * checks the set against its registry, refuses it whole when it is incomplete, extra or stale,
 * and answers only once every envelope is durable. An online send is checked the same way, but
 * goes only to the devices connected at that moment and is queued for none.
 */
public final class MessageController implements Controller {
  private final RelayStorage storage;
  private final Connections connections;
  private final RelayConfig config;
  private final Clock clock;
  private final RelayMetrics metrics;
  private final RateLimiters limiters;

  public MessageController(RelayStorage storage, Connections connections, RelayConfig config, Clock clock,
      RelayMetrics metrics, RateLimiters limiters) {
    this.limiters = limiters;
    this.storage = storage;
    this.connections = connections;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/messages").handler(Controller.handler(ctx -> {
      Timer.Sample sample = metrics.startSend();
      return Controller.attempt(() -> send(Controller.device(ctx), Fields.body(ctx)))
          .andThen(answer -> metrics.sendAnswered(sample, outcome(answer)));
    }));
  }

  private static RelayMetrics.SendOutcome outcome(AsyncResult<JsonObject> answer) {
    if (answer.succeeded()) {
      return RelayMetrics.SendOutcome.OK;
    }
    if (!(answer.cause() instanceof ApiException refusal) || refusal.status() >= 500) {
      return RelayMetrics.SendOutcome.FAILED;
    }
    return refusal.error() == ApiError.DEVICE_MISMATCH ? RelayMetrics.SendOutcome.MISMATCH
        : RelayMetrics.SendOutcome.REFUSED;
  }

  private record Outgoing(long deviceId, int registrationId, int kind, byte[] content) {}

  private Future<JsonObject> send(AuthenticatedDevice sender, JsonObject body) {
    byte[] messageId = Fields.bytes(body, "messageId", Envelope.MESSAGE_ID_LENGTH);
    long timestamp = Fields.integer(body, "timestamp", 0, Limits.MAX_U64);
    Map<String, Map<Long, Outgoing>> recipients = recipients(body);
    boolean sync = sync(body, sender, recipients);
    boolean online = online(body, recipients);
    Duration ttl = ttl(body, online);
    if (!sync) {
      recipients.putIfAbsent(sender.number(), new LinkedHashMap<>());
    }
    if (recipients.size() > RelayLimits.MAX_ACCOUNTS_PER_SEND) {
      throw ApiException.invalid("a message goes to one other account at most (and the sender's own devices)");
    }
    return limiters.check(Limiter.SENDS_PER_DEVICE.of(sender.number() + "/" + sender.deviceId()))
        .compose(v -> check(sender, recipients, sync))
        .compose(v -> online ? deliverOnline(sender, messageId, timestamp, recipients)
            : queue(sender, messageId, timestamp, recipients, ttl));
  }

  /** Refuses the send whole when any account's devices differ from those named. */
  private Future<Void> check(AuthenticatedDevice sender, Map<String, Map<Long, Outgoing>> recipients, boolean sync) {
    List<Future<DeviceMismatch>> checks = new ArrayList<>();
    for (Map.Entry<String, Map<Long, Outgoing>> recipient : recipients.entrySet()) {
      checks.add(mismatch(sender, recipient.getKey(), recipient.getValue(), sync));
    }
    return Future.all(checks).map(all -> {
      List<DeviceMismatch> mismatches = checks.stream().map(Future::result).filter(m -> !m.isEmpty()).toList();
      if (!mismatches.isEmpty()) {
        throw DeviceMismatch.refusal(mismatches);
      }
      return null;
    });
  }

  private Future<JsonObject> queue(AuthenticatedDevice sender, byte[] messageId, long timestamp,
      Map<String, Map<Long, Outgoing>> recipients, Duration ttl) {
    long now = clock.millis();
    long expiresAt = now + ttl.toMillis();
    List<QueuedEnvelope> queued = new ArrayList<>();
    recipients.forEach((number, devices) -> devices.values().forEach(out -> queued.add(new QueuedEnvelope(number,
        out.deviceId(), envelope(sender, messageId, timestamp, now, out), expiresAt))));
    return storage.enqueue(queued, config.queueQuota()).recover(this::queueFull).map(v -> {
      metrics.envelopesQueued(RelayMetrics.Origin.SEND, queued.size());
      queued.forEach(q -> connections.ring(q.number(), q.deviceId()));
      return new JsonObject().put("serverTimestamp", now);
    });
  }

  /**
   * An online send: an envelope for each named device that holds a delivery connection now, handed
   * to the node that holds it and kept nowhere, so a device that is not connected never gets it.
   * The answer names the devices it went to.
   */
  private Future<JsonObject> deliverOnline(AuthenticatedDevice sender, byte[] messageId, long timestamp,
      Map<String, Map<Long, Outgoing>> recipients) {
    long now = clock.millis();
    List<Future<List<JsonObject>>> sent = new ArrayList<>();
    recipients.forEach((number, devices) -> sent.add(connections.connected(number).map(connected -> {
      List<JsonObject> reached = new ArrayList<>();
      for (Outgoing out : devices.values()) {
        if (connected.contains(out.deviceId())) {
          connections.online(number, out.deviceId(), envelope(sender, messageId, timestamp, now, out));
          reached.add(new JsonObject().put("number", number).put("deviceId", out.deviceId()));
        }
      }
      return reached;
    })));
    return Future.all(sent).map(all -> {
      JsonArray reached = new JsonArray();
      sent.forEach(devices -> devices.result().forEach(reached::add));
      return new JsonObject().put("serverTimestamp", now).put("connected", reached);
    });
  }

  private static byte[] envelope(AuthenticatedDevice sender, byte[] messageId, long timestamp, long now,
      Outgoing out) {
    return new Envelope(out.kind(), messageId, timestamp, now, sender.number(), sender.deviceId(), out.deviceId(),
        out.content()).encode();
  }

  /** A send that would take device queues past their quota: nothing was queued, and the sender hears whose. */
  private <T> Future<T> queueFull(Throwable failure) {
    if (failure instanceof StorageException refused && refused.reason() == StorageException.Reason.QUEUE_FULL) {
      return Future.failedFuture(QueueFullAnswer.of(refused.fullQueues(), config.queueQuota()));
    }
    return Future.failedFuture(failure);
  }

  private Map<String, Map<Long, Outgoing>> recipients(JsonObject body) {
    JsonArray groups = Fields.array(body, "recipients", RelayLimits.MAX_ACCOUNTS_PER_SEND);
    Map<String, Map<Long, Outgoing>> out = new LinkedHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      JsonObject group = Fields.object(groups.getValue(g), "recipients[" + g + "]");
      String number = Fields.number(group, "number");
      if (out.containsKey(number)) {
        throw ApiException.invalid("a number appears twice in \"recipients\"");
      }
      JsonArray messages = Fields.array(group, "messages", Limits.MAX_LIST_DEVICES);
      Map<Long, Outgoing> devices = new LinkedHashMap<>();
      for (int m = 0; m < messages.size(); m++) {
        JsonObject message = Fields.object(messages.getValue(m), "a message");
        Outgoing outgoing = new Outgoing(Fields.integer(message, "deviceId", 1, 0xFFFF_FFFFL),
            (int) Fields.integer(message, "registrationId", 1, Integer.MAX_VALUE),
            (int) Fields.integer(message, "kind", Envelope.KIND_PREKEY_MESSAGE, Envelope.KIND_RATCHET_MESSAGE),
            Fields.bytes(message, "content", 1, Integer.MAX_VALUE));
        checkContent(outgoing);
        if (devices.put(outgoing.deviceId(), outgoing) != null) {
          throw ApiException.invalid("device " + outgoing.deviceId() + " of " + number + " appears twice");
        }
      }
      out.put(number, devices);
    }
    return out;
  }

  /**
   * Whether the request is a sync message: content for one other device of the sender's own
   * account alone (the history a primary sends a companion it just linked), which no other device
   * needs a copy of. Its set of devices is the one device named, which must be current.
   */
  private static boolean sync(JsonObject body, AuthenticatedDevice sender,
      Map<String, Map<Long, Outgoing>> recipients) {
    Object sync = body.getValue("sync");
    if (sync == null || Boolean.FALSE.equals(sync)) {
      return false;
    }
    if (!Boolean.TRUE.equals(sync)) {
      throw ApiException.invalid("\"sync\" must be true or false");
    }
    Map<Long, Outgoing> own = recipients.get(sender.number());
    if (recipients.size() != 1 || own == null || own.size() != 1) {
      throw ApiException.invalid("a sync message goes to exactly one device of the sender's own account");
    }
    return true;
  }

  /**
   * Whether the request is an online send: for the devices connected now, queued for none (a typing
   * signal). Its contents are held to {@link RelayLimits#MAX_ONLINE_CONTENT}.
   */
  private static boolean online(JsonObject body, Map<String, Map<Long, Outgoing>> recipients) {
    if (!body.containsKey("online")) {
      return false;
    }
    if (!(body.getValue("online") instanceof Boolean online)) {
      throw ApiException.invalid("\"online\" must be true or false");
    }
    if (online && recipients.values().stream().flatMap(devices -> devices.values().stream())
        .anyMatch(out -> out.content().length > RelayLimits.MAX_ONLINE_CONTENT)) {
      throw new ApiException(ApiError.TOO_LARGE, "an online message is at most " + RelayLimits.MAX_ONLINE_CONTENT
          + " bytes");
    }
    return online;
  }

  /**
   * How long the envelopes may wait in their queues: {@code ttlSeconds}, 1 to the queue's lifetime,
   * or the queue's lifetime when it is absent. An online send waits in no queue, so it takes none.
   */
  private Duration ttl(JsonObject body, boolean online) {
    if (!body.containsKey("ttlSeconds")) {
      return config.queueTtl();
    }
    if (online) {
      throw ApiException.invalid("an online message is never queued, so it takes no \"ttlSeconds\"");
    }
    return Duration.ofSeconds(Fields.integer(body, "ttlSeconds", 1, config.queueTtl().toSeconds()));
  }

  /** The relay cannot read the content, but it can refuse what is not a session message. */
  private static void checkContent(Outgoing outgoing) {
    if (outgoing.content().length > Limits.MAX_CONTENT) {
      throw new ApiException(ApiError.TOO_LARGE, "a message is at most " + Limits.MAX_CONTENT + " bytes");
    }
    int expectedType = outgoing.kind() == Envelope.KIND_PREKEY_MESSAGE ? MessageType.PREKEY : MessageType.RATCHET;
    try {
      if (MessageType.ofSessionMessage(outgoing.content()) != expectedType) {
        throw ApiException.invalid("a message's kind does not match its content");
      }
    } catch (ProtocolException e) {
      throw ApiException.invalid("a message's content is not a session message: " + e.error());
    }
  }

  /**
   * How the devices named differ from the account's; empty when they are exactly the account's
   * (for a sync message: the one device named is a current device of the account).
   */
  private Future<DeviceMismatch> mismatch(AuthenticatedDevice sender, String number, Map<Long, Outgoing> named,
      boolean sync) {
    boolean own = number.equals(sender.number());
    return storage.account(number).compose(found -> {
      if (found.isEmpty()) {
        throw new ApiException(ApiError.UNKNOWN_ACCOUNT, "no account has the number " + number);
      }
      Account account = found.get();
      Set<Long> listed = DeviceList.deviceIdsOf(account.deviceList());
      return storage.devices(number).map(devices -> {
        Map<Long, Device> required = new HashMap<>();
        for (Device device : devices) {
          if (listed.contains(device.deviceId()) && !(own && device.deviceId() == sender.deviceId())) {
            required.put(device.deviceId(), device);
          }
        }
        if (sync) {
          required.keySet().retainAll(named.keySet());
        }
        Set<Long> missing = new TreeSet<>(required.keySet());
        missing.removeAll(named.keySet());
        Set<Long> extra = new TreeSet<>();
        Set<Long> stale = new TreeSet<>();
        for (Outgoing out : named.values()) {
          Device device = required.get(out.deviceId());
          if (device == null) {
            extra.add(out.deviceId());
          } else if (device.registrationId() != out.registrationId()) {
            stale.add(out.deviceId());
          }
        }
        return new DeviceMismatch(number, List.copyOf(missing), List.copyOf(extra), List.copyOf(stale));
      });
    });
  }
}
