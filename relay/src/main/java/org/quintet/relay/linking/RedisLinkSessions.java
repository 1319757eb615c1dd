package org.quintet.relay.linking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.redis.Script;

/**
 * Link sessions of a cluster, in Redis. An address is a string key with its own expiry,
 * {@code q:{link:ADDRESS}:socket}. A number's pairing requests are a hash
 * {@code q:{NUMBER}:pairings} (id → JSON), in the number's slot, which expires with its last
 * request.
 */
public final class RedisLinkSessions implements LinkSessions {
  private static final Script OPEN_PAIRING = Script.load("open_pairing");

  private final RedisLink redis;

  public RedisLinkSessions(RedisLink redis) {
    this.redis = redis;
  }

  private static String addressKey(String address) {
    return "q:{link:" + address + "}:socket";
  }

  private static String pairingsKey(String number) {
    return "q:{" + number + "}:pairings";
  }

  @Override
  public Future<Void> bindAddress(String address, String socketId, long ttlMillis) {
    return redis.send(Request.cmd(Command.SET).arg(addressKey(address)).arg(socketId).arg("PX").arg(ttlMillis))
        .mapEmpty();
  }

  @Override
  public Future<Optional<String>> socketAt(String address) {
    return redis.send(Request.cmd(Command.GET).arg(addressKey(address)))
        .map(socket -> Optional.ofNullable(socket).map(Response::toString));
  }

  @Override
  public Future<Void> unbindAddress(String address) {
    return redis.send(Request.cmd(Command.DEL).arg(addressKey(address))).mapEmpty();
  }

  @Override
  public Future<Void> openPairing(PairingRequest request) {
    String json = new JsonObject().put("hello", request.hello()).put("expiresAt", request.expiresAt())
        .put("socket", request.socketId()).encode();
    // Every request lives PAIRING_LIFETIME from now; the stored expiry decides on reading.
    return redis.eval(OPEN_PAIRING, List.of(pairingsKey(request.number())),
        r -> r.arg(request.id()).arg(json).arg(RelayLimits.PAIRING_LIFETIME.toMillis())).mapEmpty();
  }

  @Override
  public Future<Optional<PairingRequest>> pairing(String number, String pairingId, long now) {
    return redis.send(Request.cmd(Command.HGET).arg(pairingsKey(number)).arg(pairingId))
        .map(json -> Optional.ofNullable(json).map(j -> decode(number, pairingId, j.toString()))
            .filter(p -> p.expiresAt() > now));
  }

  @Override
  public Future<List<PairingRequest>> pairings(String number, long now) {
    return redis.send(Request.cmd(Command.HGETALL).arg(pairingsKey(number))).map(all -> {
      List<PairingRequest> pending = new ArrayList<>();
      if (all != null) {
        for (String id : all.getKeys()) {
          PairingRequest request = decode(number, id, all.get(id).toString());
          if (request.expiresAt() > now) {
            pending.add(request);
          }
        }
      }
      return pending;
    });
  }

  @Override
  public Future<Boolean> endPairing(String number, String pairingId) {
    return redis.send(Request.cmd(Command.HDEL).arg(pairingsKey(number)).arg(pairingId))
        .map(removed -> removed.toInteger() == 1);
  }

  private static PairingRequest decode(String number, String id, String json) {
    JsonObject fields = new JsonObject(json);
    return new PairingRequest(id, number, fields.getString("hello"), fields.getLong("expiresAt"),
        fields.getString("socket"));
  }
}
