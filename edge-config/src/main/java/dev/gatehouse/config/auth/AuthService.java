package dev.gatehouse.config.auth;

import dev.gatehouse.config.traffic.CircuitBreaker;
import dev.gatehouse.config.traffic.Service;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;
import dev.gatehouse.config.yaml.Unsupported;
import java.util.List;
import java.util.Map;

/**
 * The spec of an {@code AuthService}: the external authorization service that every request (but
 * those of Mappings with {@code bypass_auth}) is checked with.
 */
@SnakeCase
public record AuthService(
    @Required String authService,
    @Default("") String pathPrefix,
    String tls,
    @Default("http") AuthProtocol proto,
    @Default("5000") @Range(min = 0) Integer timeoutMs,
    List<String> allowedRequestHeaders,
    List<String> allowedAuthorizationHeaders,
    Map<String, String> addAuthHeaders,
    Boolean allowRequestBody,
    IncludeBody includeBody,
    @Default("false") Boolean failureModeAllow,
    StatusOnError statusOnError,
    @Default("v3") ProtocolVersion protocolVersion,
    String statsName,
    List<CircuitBreaker> circuitBreakers,
    @Unsupported("Linkerd is not integrated") Object addLinkerdHeaders,
    @dev.gatehouse.config.yaml.YamlName("v2ExplicitTLS")
        @Unsupported("a getambassador.io/v2 round-trip hint")
        Object v2ExplicitTls) {

  public AuthService {
    Service.parse("auth_service", authService);
    ProtocolVersion.requireV3(protocolVersion);
  }

  /** The status sent when the service cannot be reached, 403 unless configured. */
  public int errorStatus() {
    return statusOnError == null ? 403 : statusOnError.code();
  }

  /** gRPC (Envoy's ext_authz API) or plain HTTP. */
  public enum AuthProtocol {
    HTTP,
    GRPC
  }

  /** How much of the request body to send to the service. */
  @SnakeCase
  public record IncludeBody(
      @Required @Range(min = 1) Integer maxBytes, @Required Boolean allowPartial) {}

  /** The status answered when the service fails. */
  public record StatusOnError(@Default("403") @Range(min = 100, max = 599) Integer code) {}
}
