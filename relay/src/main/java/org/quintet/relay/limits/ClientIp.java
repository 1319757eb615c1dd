package org.quintet.relay.limits;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who the client is, for every limiter that counts per client address: the connection's remote
 * address, or, only when that peer is one of the operator's {@code trustedProxies}, the right-most
 * address of {@code X-Forwarded-For} that is not a trusted proxy itself (every proxy appends the
 * address it was reached from, so what is left of the first untrusted hop is whatever the client
 * wrote, and is never believed). A client reaching the relay directly cannot choose its address by
 * sending the header.
 *
 * <p>The key is the address itself for IPv4, and its /64 for IPv6: one subscriber gets a whole
 * /64 and could otherwise take a fresh address, and a fresh budget, for every request.
 */
public final class ClientIp {
  private static final String FORWARDED_FOR = "X-Forwarded-For";
  /** {@code [v6]} or {@code [v6]:port}, as some proxies write an IPv6 hop. */
  private static final Pattern BRACKETED = Pattern.compile("^\\[([0-9A-Fa-f:.]+)](?::\\d+)?$");
  /** {@code a.b.c.d:port}. */
  private static final Pattern V4_WITH_PORT = Pattern.compile("^(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d+$");

  private final List<IpSubnetFilterRule> trustedProxies;

  /** {@code trustedProxies}: addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}), checked by the configuration. */
  public ClientIp(List<String> trustedProxies) {
    List<IpSubnetFilterRule> rules = new ArrayList<>();
    for (String proxy : trustedProxies) {
      int slash = proxy.indexOf('/');
      String address = slash < 0 ? proxy : proxy.substring(0, slash);
      int prefix = slash < 0 ? (NetUtil.isValidIpV4Address(address) ? 32 : 128)
          : Integer.parseInt(proxy.substring(slash + 1));
      rules.add(new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT));
    }
    this.trustedProxies = List.copyOf(rules);
  }

  /** The client's key for a request. */
  public String of(HttpServerRequest request) {
    return of(request.remoteAddress(), request.headers());
  }

  /** The client's key for a connection from {@code peer} whose request carried {@code headers}. */
  public String of(SocketAddress peer, MultiMap headers) {
    InetAddress client = address(peer);
    if (client == null) {
      return "local"; // a Unix domain socket: the machine itself
    }
    if (!isTrusted(client)) {
      return key(client);
    }
    List<String> hops = new ArrayList<>();
    for (String header : headers.getAll(FORWARDED_FOR)) {
      hops.addAll(Arrays.asList(header.split(",")));
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = parse(hops.get(i).trim());
      if (hop == null) {
        break; // not an address: the proxy to its right is the last hop known to be true
      }
      client = hop;
      if (!isTrusted(hop)) {
        break;
      }
    }
    return key(client);
  }

  /** Whether a connection from {@code peer} comes through one of the operator's proxies. */
  public boolean isTrustedProxy(SocketAddress peer) {
    InetAddress address = address(peer);
    return address != null && isTrusted(address);
  }

  private boolean isTrusted(InetAddress address) {
    InetSocketAddress socket = new InetSocketAddress(address, 0);
    for (IpSubnetFilterRule rule : trustedProxies) {
      if (rule.matches(socket)) {
        return true;
      }
    }
    return false;
  }

  /** The limiters' key of an address: IPv4 as it is, IPv6 as its /64. */
  static String key(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return NetUtil.toAddressString(address);
    }
    byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(prefix, 8, 16, (byte) 0);
    try {
      return NetUtil.toAddressString(InetAddress.getByAddress(prefix)) + "/64";
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }

  private static InetAddress address(SocketAddress peer) {
    return peer == null || peer.hostAddress() == null ? null : parse(peer.hostAddress());
  }

  /** An IP address written in a header or by Vert.x, never looked up by name; null when it is none. */
  static InetAddress parse(String text) {
    Matcher bracketed = BRACKETED.matcher(text);
    Matcher withPort = V4_WITH_PORT.matcher(text);
    String address = bracketed.matches() ? bracketed.group(1) : withPort.matches() ? withPort.group(1) : text;
    if (!NetUtil.isValidIpV4Address(address) && !NetUtil.isValidIpV6Address(address)) {
      return null;
    }
    return NetUtil.createInetAddressFromIpAddressString(address);
  }
}
