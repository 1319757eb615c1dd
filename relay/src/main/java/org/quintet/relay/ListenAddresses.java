package org.quintet.relay;

import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Where a node listens, said as a person reads it, and why it could not. */
public final class ListenAddresses {
  private ListenAddresses() {}

  /** Whether {@code host} means every address of the machine. */
  public static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /**
   * Every address of every interface that is up, loopback first. A link-local IPv6 address is left
   * out: it needs its interface's scope, which neither a URL a person types nor a certificate holds.
   */
  public static List<String> machineAddresses() {
    List<String> addresses = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!(address instanceof Inet6Address && address.isLinkLocalAddress())) {
            addresses.add(literal(address));
          }
        }
      }
    } catch (SocketException e) {
      addresses.add("127.0.0.1");
    }
    addresses.sort((a, b) -> Boolean.compare(!a.startsWith("127.") && !a.equals("0:0:0:0:0:0:0:1"),
        !b.startsWith("127.") && !b.equals("0:0:0:0:0:0:0:1")));
    return addresses;
  }

  /** An address as a certificate and a URL hold it: IPv6 without its scope. */
  public static String literal(InetAddress address) {
    String text = address.getHostAddress();
    int scope = text.indexOf('%');
    return scope < 0 ? text : text.substring(0, scope);
  }

  /** The URLs a node on {@code host:port} answers at. */
  public static List<String> urls(String scheme, String host, int port) {
    List<String> hosts = isWildcard(host) ? machineAddresses() : List.of(host);
    return hosts.stream().map(h -> scheme + "://" + urlHost(h) + ":" + port).toList();
  }

  /** A host as a URL holds it: an IPv6 address in brackets. */
  public static String urlHost(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** A failure to listen, said with the address and port and what to do about it. */
  static Throwable explain(Throwable failure, String host, int port) {
    String where = urlHost(host) + ":" + port;
    String message = String.valueOf(failure.getMessage());
    if (failure instanceof BindException || message.contains("Address already in use")) {
      if (message.contains("already in use")) {
        return new BindException("cannot listen on " + where + ": the address is already in use (another relay or"
            + " another program listens there; stop it, or choose another --port)");
      }
      if (message.contains("assign requested address")) {
        return new BindException("cannot listen on " + where + ": no interface of this machine has the address "
            + host + " (see --host)");
      }
      if (message.contains("ermission denied")) {
        return new BindException("cannot listen on " + where + ": a port below 1024 needs privileges (use a port"
            + " above 1024 behind a proxy, or give the process CAP_NET_BIND_SERVICE)");
      }
      return new BindException("cannot listen on " + where + ": " + message);
    }
    return failure;
  }
}
