package org.quintet.relay.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.quintet.relay.ListenAddresses;

/**
 * The names a browser on the network may use for this machine, for a self-signed certificate:
 * localhost, the host name, every address of every interface that is up, the address the relay
 * binds (when it is one) and the names the operator lists.
 */
final class LocalNames {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");

  private LocalNames() {}

  static Set<String> of(String bindHost, Iterable<String> extra) {
    Set<String> names = new LinkedHashSet<>();
    names.add("localhost");
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // a machine whose own name does not resolve is still reached by its addresses
    }
    names.addAll(ListenAddresses.machineAddresses());
    if (bindHost != null && !ListenAddresses.isWildcard(bindHost)) {
      names.add(checked(bindHost));
    }
    for (String name : extra) {
      names.add(checked(name));
    }
    return names;
  }

  static boolean isAddress(String name) {
    return IPV4.matcher(name).matches() || name.contains(":");
  }

  private static String checked(String name) {
    String trimmed = name.trim();
    if (isAddress(trimmed)) {
      try {
        return ListenAddresses.literal(InetAddress.getByName(trimmed)); // a literal: parsed, never looked up
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("invalid configuration: tls.names has \"" + name + "\", not an address");
      }
    }
    if (!DNS_NAME.matcher(trimmed).matches()) {
      throw new IllegalArgumentException("invalid configuration: tls.names has \"" + name + "\", not a host name");
    }
    return trimmed;
  }
}
