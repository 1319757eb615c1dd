package org.quintet.relay.linking;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * What every node must know about companions waiting to be linked, wherever their provisioning
 * socket is: which socket a one-time QR address names, and the pending pairing requests of a
 * number. Short-lived by design: addresses and requests expire on their own,
 * so a node that dies leaves nothing behind for long. One node keeps this in memory
 * ({@link MemoryLinkSessions}); a cluster keeps it in Redis ({@link RedisLinkSessions}).
 */
public interface LinkSessions {

  /** The provisioning socket {@code socketId} can be reached at {@code address} for {@code ttlMillis}. */
  Future<Void> bindAddress(String address, String socketId, long ttlMillis);

  /** The socket an address names, while the address is bound and not expired. */
  Future<Optional<String>> socketAt(String address);

  Future<Void> unbindAddress(String address);

  /**
   * Records a pending pairing request of {@code request.number()}. How many a number gets is the
   * rate limiters' ({@code pairingsPerNumber}), checked before.
   */
  Future<Void> openPairing(PairingRequest request);

  /** The number's pairing request with this id, unless it ended or expired by {@code now}. */
  Future<Optional<PairingRequest>> pairing(String number, String pairingId, long now);

  /** The number's pairing requests that have not ended and not expired by {@code now}. */
  Future<List<PairingRequest>> pairings(String number, long now);

  /** Ends a pairing request; true for the call that ended it, false if it had ended already. */
  Future<Boolean> endPairing(String number, String pairingId);
}
