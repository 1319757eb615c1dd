package org.quintet.relay.linking;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Link sessions of a relay that runs alone: this node's memory. */
public final class MemoryLinkSessions implements LinkSessions {
  private record Binding(String socketId, long expiresAt) {}

  private final Clock clock;
  private final Map<String, Binding> addresses = new ConcurrentHashMap<>();
  private final Map<String, PairingRequest> pairings = new ConcurrentHashMap<>();

  public MemoryLinkSessions(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<Void> bindAddress(String address, String socketId, long ttlMillis) {
    addresses.put(address, new Binding(socketId, clock.millis() + ttlMillis));
    return Future.succeededFuture();
  }

  @Override
  public Future<Optional<String>> socketAt(String address) {
    Binding binding = addresses.get(address);
    if (binding != null && binding.expiresAt() <= clock.millis()) {
      addresses.remove(address, binding);
      binding = null;
    }
    return Future.succeededFuture(Optional.ofNullable(binding).map(Binding::socketId));
  }

  @Override
  public Future<Void> unbindAddress(String address) {
    addresses.remove(address);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> openPairing(PairingRequest request) {
    pairings.put(request.id(), request);
    return Future.succeededFuture();
  }

  @Override
  public Future<Optional<PairingRequest>> pairing(String number, String pairingId, long now) {
    return Future.succeededFuture(Optional.ofNullable(pairings.get(pairingId))
        .filter(p -> p.number().equals(number) && p.expiresAt() > now));
  }

  @Override
  public Future<List<PairingRequest>> pairings(String number, long now) {
    pairings.values().removeIf(p -> p.expiresAt() <= now);
    return Future.succeededFuture(pairings.values().stream().filter(p -> p.number().equals(number)).toList());
  }

  @Override
  public Future<Boolean> endPairing(String number, String pairingId) {
    PairingRequest request = pairings.get(pairingId);
    return Future.succeededFuture(request != null && request.number().equals(number)
        && pairings.remove(pairingId, request));
  }
}
