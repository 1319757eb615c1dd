package org.quintet.relay.limits;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.quintet.relay.metrics.RelayMetrics;

/**
 * What this node holds open for each client address, against the {@link Limiter.Kind#CONCURRENT
 * caps}: a slot is taken when a connection or socket opens and given back when it closes. Counts
 * are this node's own: the descriptors and memory they protect are too, and a count shared through
 * Redis would outlive a node that dies holding it.
 *
 * <p>TCP connections ({@link Limiter#CONNECTIONS_PER_IP}) are counted from Vert.x's connection
 * handler. Vert.x stops telling an {@link HttpConnection} that it closed once the connection became
 * a WebSocket, so the socket's own close gives its connection's slot back:
 * {@link #upgraded} hands the slot over, by the remote address (host and port) that names the
 * connection.
 */
public final class ConnectionCaps {
  private final Map<Limiter, Integer> caps;
  private final ClientIp clientIp;
  private final RelayMetrics metrics;
  private final Map<Limiter, Map<String, Integer>> open = new EnumMap<>(Limiter.class);
  /** The slots of TCP connections still speaking HTTP, by remote host:port. */
  private final Map<String, Slot> connections = new ConcurrentHashMap<>();

  public ConnectionCaps(Map<Limiter, Integer> caps, ClientIp clientIp, RelayMetrics metrics) {
    this.caps = caps;
    this.clientIp = clientIp;
    this.metrics = metrics;
    caps.keySet().forEach(limiter -> open.put(limiter, new ConcurrentHashMap<>()));
  }

  /** A slot of {@code limiter} for {@code clientKey}, or null (counted as a refusal) when it has its most. */
  public Slot acquire(Limiter limiter, String clientKey) {
    int cap = caps.get(limiter);
    boolean[] taken = {false};
    open.get(limiter).compute(clientKey, (k, count) -> {
      int now = count == null ? 0 : count;
      if (now >= cap) {
        return count;
      }
      taken[0] = true;
      return now + 1;
    });
    if (!taken[0]) {
      metrics.rateLimited(limiter);
      return null;
    }
    return new Slot(open.get(limiter), clientKey);
  }

  /** How many of {@code limiter}'s slots {@code clientKey} holds now. */
  public int count(Limiter limiter, String clientKey) {
    return open.get(limiter).getOrDefault(clientKey, 0);
  }

  /**
   * A new TCP connection: counted for its remote address, or closed at once when that address has
   * its most open (a connection without a request has nothing to answer). A trusted proxy's
   * connections carry many clients and are not counted.
   */
  public void connected(HttpConnection connection) {
    SocketAddress peer = connection.remoteAddress();
    if (peer == null || clientIp.isTrustedProxy(peer)) {
      return;
    }
    Slot slot = acquire(Limiter.CONNECTIONS_PER_IP, clientIp.of(peer, MultiMap.caseInsensitiveMultiMap()));
    if (slot == null) {
      connection.close();
      return;
    }
    String name = name(peer);
    connections.put(name, slot);
    connection.closeHandler(v -> {
      connections.remove(name, slot);
      slot.release();
    });
  }

  /**
   * The connection from {@code peer} became a WebSocket: its slot, which the socket gives back when
   * it closes (a slot that gives nothing back when the connection was not counted).
   */
  public Slot upgraded(SocketAddress peer) {
    Slot slot = peer == null ? null : connections.remove(name(peer));
    return slot == null ? Slot.NONE : slot;
  }

  private static String name(SocketAddress peer) {
    return peer.hostAddress() + " " + peer.port();
  }

  /** A slot held; {@link #release} gives it back once, however often it is called. */
  public static final class Slot {
    /** The slot of a connection that was not counted (a trusted proxy's): nothing to give back. */
    static final Slot NONE = new Slot(null, null);
    private final Map<String, Integer> counts;
    private final String clientKey;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(Map<String, Integer> counts, String clientKey) {
      this.counts = counts;
      this.clientKey = clientKey;
    }

    public void release() {
      if (counts != null && released.compareAndSet(false, true)) {
        counts.computeIfPresent(clientKey, (k, count) -> count <= 1 ? null : count - 1);
      }
    }
  }
}
