package dev.gatehouse.config;

import dev.gatehouse.config.auth.AuthService;
import dev.gatehouse.config.auth.Filter;
import dev.gatehouse.config.auth.FilterPolicy;
import dev.gatehouse.config.host.Host;
import dev.gatehouse.config.host.TLSContext;
import dev.gatehouse.config.mapping.Mapping;
import dev.gatehouse.config.module.Module;
import dev.gatehouse.config.ratelimit.RateLimit;
import dev.gatehouse.config.ratelimit.RateLimitService;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code getambassador.io/v3alpha1} kinds that Gatehouse reads, and the record of each spec.
 */
public enum Kind {
  MAPPING("Mapping", Mapping.class),
  HOST("Host", Host.class),
  TLS_CONTEXT("TLSContext", TLSContext.class),
  AUTH_SERVICE("AuthService", AuthService.class),
  RATE_LIMIT_SERVICE("RateLimitService", RateLimitService.class),
  MODULE("Module", Module.class),
  FILTER("Filter", Filter.class),
  FILTER_POLICY("FilterPolicy", FilterPolicy.class),
  RATE_LIMIT("RateLimit", RateLimit.class);

  /**
   * Kinds of the getambassador.io group that Emissary or Edge Stack define and Gatehouse does not
   * serve yet: they load with a warning instead of failing a whole directory.
   */
  public static final java.util.Set<String> NOT_SERVED =
      java.util.Set.of(
          "Listener",
          "TCPMapping",
          "TracingService",
          "LogService",
          "DevPortal",
          "KubernetesEndpointResolver",
          "KubernetesServiceResolver",
          "ConsulResolver",
          "WebApplicationFirewall",
          "WebApplicationFirewallPolicy");

  private final String yamlName;
  private final Class<? extends Record> specType;

  Kind(String yamlName, Class<? extends Record> specType) {
    this.yamlName = yamlName;
    this.specType = specType;
  }

  /** The kind as written in YAML, e.g. {@code TLSContext}. */
  public String yamlName() {
    return yamlName;
  }

  public Class<? extends Record> specType() {
    return specType;
  }

  public static Optional<Kind> fromYaml(String name) {
    return Arrays.stream(values()).filter(k -> k.yamlName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return yamlName;
  }
}
