package org.quintet.relay;

/**
 * What an operator sets to watch a node (docs/operations.md): whether it serves Prometheus metrics
 * at {@code GET /metrics}, on the relay's own port ({@code metricsPort} null) or on a listener of
 * its own at {@code metricsHost:metricsPort}, and the format of its log.
 */
public record ObservabilityConfig(boolean metricsEnabled, Integer metricsPort, String metricsHost,
    LogFormat logFormat) {

  static ObservabilityConfig from(Settings settings) {
    Integer metricsPort = settings.optionalInteger("metrics.port");
    ObservabilityConfig config = new ObservabilityConfig(settings.bool("metrics.enabled"), metricsPort,
        settings.text("metrics.host"), LogFormat.parse(settings.text("log.format")));
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new IllegalArgumentException("invalid configuration: metrics.port must be 0..65535 or null");
    }
    int port = settings.integer("port");
    if (metricsPort != null && metricsPort != 0 && metricsPort == port) {
      throw new IllegalArgumentException("invalid configuration: metrics.port must differ from port "
          + "(leave it null to serve /metrics on the relay's own port)");
    }
    return config;
  }

  /** Whether {@code /metrics} has a listener of its own rather than the relay's port. */
  public boolean separateMetricsListener() {
    return metricsPort != null;
  }
}
