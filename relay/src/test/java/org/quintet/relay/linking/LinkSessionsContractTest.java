package org.quintet.relay.linking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every node relies on about link sessions, run against each implementation: QR addresses
 * that name a socket until unbound or expired, pairing requests by number, and a request ended
 * exactly once. (How many requests a number gets is the rate limiters': PairingLimitsTest.)
 */
abstract class LinkSessionsContractTest {
  static final String NUMBER = "+8801711000001";
  static final String OTHER = "+8801811000002";

  Vertx vertx;
  LinkSessions sessions;

  /** Fresh, empty link sessions. */
  abstract LinkSessions openEmpty(Vertx vertx) throws Exception;

  /** Lets {@code millis} pass for address expiry (a movable clock, or real time). */
  abstract void passTime(long millis) throws Exception;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    sessions = openEmpty(vertx);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static PairingRequest request(String id, String number, long expiresAt) {
    return new PairingRequest(id, number, "aGVsbG8=", expiresAt, "socket-" + id);
  }

  @Test
  void anAddressNamesItsSocketUntilUnbound() throws Exception {
    assertEquals(Optional.empty(), await(sessions.socketAt("addr1")));
    await(sessions.bindAddress("addr1", "socket1", 60_000));
    await(sessions.bindAddress("addr2", "socket2", 60_000));
    assertEquals(Optional.of("socket1"), await(sessions.socketAt("addr1")));
    assertEquals(Optional.of("socket2"), await(sessions.socketAt("addr2")));
    await(sessions.unbindAddress("addr1"));
    assertEquals(Optional.empty(), await(sessions.socketAt("addr1")));
    assertEquals(Optional.of("socket2"), await(sessions.socketAt("addr2")), "unbinding one leaves the other");
  }

  @Test
  void anAddressExpiresByItself() throws Exception {
    await(sessions.bindAddress("short", "socket1", 200));
    await(sessions.bindAddress("long", "socket2", 60_000));
    passTime(400);
    assertEquals(Optional.empty(), await(sessions.socketAt("short")));
    assertEquals(Optional.of("socket2"), await(sessions.socketAt("long")));
  }

  @Test
  void aPairingIsFoundByItsNumberOnlyAndEndsOnce() throws Exception {
    long now = 1_000_000;
    await(sessions.openPairing(request("p1", NUMBER, now + 180_000)));
    PairingRequest found = await(sessions.pairing(NUMBER, "p1", now)).orElseThrow();
    assertEquals(request("p1", NUMBER, now + 180_000), found);
    assertEquals(Optional.empty(), await(sessions.pairing(OTHER, "p1", now)), "another number's request is not seen");
    assertEquals(List.of(found), await(sessions.pairings(NUMBER, now)));
    assertEquals(List.of(), await(sessions.pairings(OTHER, now)));

    assertFalse(await(sessions.endPairing(OTHER, "p1")), "another number cannot end it");
    List<Boolean> ends = await(Future.all(sessions.endPairing(NUMBER, "p1"), sessions.endPairing(NUMBER, "p1")))
        .list();
    assertEquals(1, ends.stream().filter(ended -> ended).count(), "exactly one call ends it: " + ends);
    assertEquals(Optional.empty(), await(sessions.pairing(NUMBER, "p1", now)));
    assertEquals(List.of(), await(sessions.pairings(NUMBER, now)));
  }

  @Test
  void anExpiredPairingIsNoLongerPending() throws Exception {
    long now = 1_000_000;
    await(sessions.openPairing(request("old", NUMBER, now + 1_000)));
    await(sessions.openPairing(request("new", NUMBER, now + 180_000)));
    long later = now + 1_000;
    assertEquals(Optional.empty(), await(sessions.pairing(NUMBER, "old", later)));
    assertEquals(List.of("new"), await(sessions.pairings(NUMBER, later)).stream().map(PairingRequest::id).toList());
  }

  @Test
  void aNumberMayHaveSeveralPendingRequests() throws Exception {
    long now = 1_000_000;
    for (int i = 0; i < 3; i++) {
      await(sessions.openPairing(request("p" + i, NUMBER, now + 180_000)));
    }
    await(sessions.openPairing(request("q0", OTHER, now + 180_000)));
    assertEquals(List.of("p0", "p1", "p2"), await(sessions.pairings(NUMBER, now)).stream().map(PairingRequest::id)
        .sorted().toList());
    assertTrue(await(sessions.endPairing(NUMBER, "p1")));
    assertEquals(List.of("p0", "p2"), await(sessions.pairings(NUMBER, now)).stream().map(PairingRequest::id)
        .sorted().toList());
    assertEquals(List.of("q0"), await(sessions.pairings(OTHER, now)).stream().map(PairingRequest::id).toList());
  }
}
