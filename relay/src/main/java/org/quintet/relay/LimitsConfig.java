package org.quintet.relay;

import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.quintet.relay.limits.Limiter;
import org.quintet.relay.limits.RateLimit;

/**
 * The operator's abuse limits (docs/relay-api.md, "Limits"): each rate limiter's bucket
 * ({@code rateLimits.NAME.bucketSize} and {@code .refillSeconds}), each cap on open connections
 * ({@code connectionLimits.NAME}), and the proxies whose {@code X-Forwarded-For} names the client
 * ({@code trustedProxies}: addresses or CIDR ranges; none by default).
 */
public record LimitsConfig(Map<Limiter, RateLimit> rates, Map<Limiter, Integer> caps, List<String> trustedProxies) {

  public LimitsConfig {
    rates = Map.copyOf(rates);
    caps = Map.copyOf(caps);
    trustedProxies = List.copyOf(trustedProxies);
  }

  public RateLimit rate(Limiter limiter) {
    return rates.get(limiter);
  }

  public int cap(Limiter limiter) {
    return caps.get(limiter);
  }

  /**
   * The token buckets (Bucket4j) refill at most one token a nanosecond; a faster limit would be
   * accepted here and then fail every request it counts.
   */
  private static final double MAX_REFILL_PER_SECOND = 1e9;

  static LimitsConfig from(Settings settings) {
    Map<Limiter, RateLimit> rates = new EnumMap<>(Limiter.class);
    Map<Limiter, Integer> caps = new EnumMap<>(Limiter.class);
    for (Limiter limiter : Limiter.values()) {
      if (limiter.kind() == Limiter.Kind.RATE) {
        String path = "rateLimits." + limiter.setting();
        int bucketSize = settings.integer(path + ".bucketSize");
        int refillSeconds = settings.integer(path + ".refillSeconds");
        if (bucketSize < 1 || refillSeconds < 1) {
          throw new IllegalArgumentException("invalid configuration: " + path
              + " needs a bucketSize and refillSeconds of at least 1");
        }
        if ((double) bucketSize / refillSeconds > MAX_REFILL_PER_SECOND) {
          throw new IllegalArgumentException("invalid configuration: " + path + " refills " + bucketSize + " in "
              + refillSeconds + " s, faster than one a nanosecond; make refillSeconds longer");
        }
        rates.put(limiter, new RateLimit(bucketSize, Duration.ofSeconds(refillSeconds)));
      } else {
        String path = "connectionLimits." + limiter.setting();
        int cap = settings.integer(path);
        if (cap < 1) {
          throw new IllegalArgumentException("invalid configuration: " + path + " must be at least 1");
        }
        caps.put(limiter, cap);
      }
    }
    List<String> proxies = settings.textList("trustedProxies");
    for (String proxy : proxies) {
      if (!isAddressOrRange(proxy)) {
        throw new IllegalArgumentException("invalid configuration: trustedProxies has \"" + proxy
            + "\", which is not an IP address or a CIDR range (10.0.0.0/8, fd00::/8)");
      }
    }
    return new LimitsConfig(rates, caps, proxies);
  }

  private static boolean isAddressOrRange(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (!NetUtil.isValidIpV4Address(address) && !NetUtil.isValidIpV6Address(address)) {
      return false;
    }
    if (slash < 0) {
      return true;
    }
    try {
      int prefix = Integer.parseInt(text.substring(slash + 1));
      return prefix >= 0 && prefix <= (NetUtil.isValidIpV4Address(address) ? 32 : 128);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
