package dev.gatehouse.config.ratelimit;

import dev.gatehouse.config.auth.ProtocolVersion;
import dev.gatehouse.config.traffic.Service;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;

/**
 * The spec of a {@code RateLimitService}: the gRPC rate-limit service that routes with labels are
 * checked with.
 *
 * @param domain absent: the Module's default_label_domain, else "ambassador"
 * @param failureModeDeny false (the default) lets requests through when the service fails
 */
@SnakeCase
public record RateLimitService(
    @Required String service,
    @Default("20") @Range(min = 0) Integer timeoutMs,
    String domain,
    String tls,
    @Default("v3") ProtocolVersion protocolVersion,
    String statsName,
    @Default("false") Boolean failureModeDeny,
    Grpc grpc,
    @dev.gatehouse.config.yaml.YamlName("v2ExplicitTLS")
        @dev.gatehouse.config.yaml.Unsupported("a getambassador.io/v2 round-trip hint")
        Object v2ExplicitTls) {

  public RateLimitService {
    Service.parse("service", service);
    ProtocolVersion.requireV3(protocolVersion);
  }

  /** gRPC-specific behaviour. */
  @SnakeCase
  public record Grpc(@Default("false") Boolean useResourceExhaustedCode) {}
}
