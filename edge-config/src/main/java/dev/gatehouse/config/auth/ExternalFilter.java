package dev.gatehouse.config.auth;

import dev.gatehouse.config.traffic.Service;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;
import dev.gatehouse.config.yaml.Unsupported;
import dev.gatehouse.config.yaml.YamlName;
import java.util.List;

/** An External Filter: delegate the decision to another ext_authz service, gRPC or HTTP. */
@SnakeCase
public record ExternalFilter(
    @Required String authService,
    Boolean tls,
    @YamlName("tlsConfig")
        @Unsupported("client certificates to the external service are not supported yet")
        Object tlsConfig,
    @Default("http") AuthService.AuthProtocol proto,
    @Default("5000") @Range(min = 0) Integer timeoutMs,
    List<String> allowedRequestHeaders,
    List<String> allowedAuthorizationHeaders,
    @Default("") String pathPrefix,
    AuthService.IncludeBody includeBody,
    AuthService.StatusOnError statusOnError,
    @Default("false") Boolean failureModeAllow,
    @Default("v3") ProtocolVersion protocolVersion,
    Boolean allowRequestBody,
    @Unsupported("Linkerd is not integrated") Object addLinkerdHeaders) {

  public ExternalFilter {
    Service.parse("auth_service", authService);
    ProtocolVersion.requireV3(protocolVersion);
  }
}
