package org.quintet.relay.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is: the peer, or what a trusted proxy says, never what the client writes itself. */
class ClientIpTest {
  private static final ClientIp BEHIND_PROXIES = new ClientIp(List.of("10.0.0.0/8", "192.0.2.10", "fd00::/8"));

  private static SocketAddress peer(String address) {
    return SocketAddress.inetSocketAddress(40_000, address);
  }

  private static MultiMap forwarded(String... values) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String value : values) {
      headers.add("X-Forwarded-For", value);
    }
    return headers;
  }

  @Test
  void aClientReachingTheRelayDirectlyIsItsAddressWhateverItWrites() {
    ClientIp noProxies = new ClientIp(List.of());
    assertEquals("203.0.113.5", noProxies.of(peer("203.0.113.5"), forwarded("198.51.100.1")));
    assertEquals("203.0.113.5", BEHIND_PROXIES.of(peer("203.0.113.5"), forwarded("198.51.100.1")),
        "an untrusted peer's header is not read");
    assertFalse(noProxies.isTrustedProxy(peer("10.1.2.3")));
  }

  @Test
  void behindTrustedProxiesTheClientIsTheRightMostUntrustedHop() {
    assertTrue(BEHIND_PROXIES.isTrustedProxy(peer("10.1.2.3")));
    assertEquals("198.51.100.1", BEHIND_PROXIES.of(peer("10.1.2.3"), forwarded("198.51.100.1")));
    // The client wrote the left part itself; the proxies appended the rest.
    assertEquals("198.51.100.1", BEHIND_PROXIES.of(peer("10.1.2.3"),
        forwarded("1.2.3.4, 5.6.7.8, 198.51.100.1, 10.9.9.9, 192.0.2.10")));
    assertEquals("198.51.100.1", BEHIND_PROXIES.of(peer("192.0.2.10"), forwarded("1.2.3.4", "198.51.100.1")),
        "several headers are one list");
    assertEquals("198.51.100.1", BEHIND_PROXIES.of(peer("10.1.2.3"), forwarded("198.51.100.1:5555")));
    assertEquals("2001:db8:1:2::/64", BEHIND_PROXIES.of(peer("10.1.2.3"), forwarded("[2001:db8:1:2:3:4:5:6]:443")));
  }

  @Test
  void aProxyThatSaysNothingOrNonsenseIsTheClient() {
    assertEquals("10.1.2.3", BEHIND_PROXIES.of(peer("10.1.2.3"), MultiMap.caseInsensitiveMultiMap()));
    assertEquals("10.1.2.3", BEHIND_PROXIES.of(peer("10.1.2.3"), forwarded("198.51.100.1, unknown")),
        "a hop that is no address ends the walk at the last proxy known to be true");
    assertEquals("10.0.0.1", BEHIND_PROXIES.of(peer("10.1.2.3"), forwarded("10.0.0.1, 10.0.0.2")),
        "only proxies: the farthest one");
    assertEquals("10.1.2.3", BEHIND_PROXIES.of(peer("10.1.2.3"), forwarded("evil.example")), "never looked up by name");
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64() {
    ClientIp direct = new ClientIp(List.of());
    assertEquals("2001:db8:1:2::/64", direct.of(peer("2001:db8:1:2:aaaa::1"), forwarded()));
    assertEquals("2001:db8:1:2::/64", direct.of(peer("2001:db8:1:2:bbbb::9"), forwarded()));
    assertEquals("2001:db8:1:3::/64", direct.of(peer("2001:db8:1:3::1"), forwarded()));
    assertTrue(BEHIND_PROXIES.isTrustedProxy(peer("fd12::1")));
    assertEquals("127.0.0.1", direct.of(peer("127.0.0.1"), forwarded()));
  }
}
