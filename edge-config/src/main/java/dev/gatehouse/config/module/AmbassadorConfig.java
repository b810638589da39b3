package dev.gatehouse.config.module;

import dev.gatehouse.config.ratelimit.LabelSpecifier;
import dev.gatehouse.config.traffic.CircuitBreaker;
import dev.gatehouse.config.traffic.Cors;
import dev.gatehouse.config.traffic.ErrorResponseOverride;
import dev.gatehouse.config.traffic.LoadBalancer;
import dev.gatehouse.config.traffic.RetryPolicy;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.SnakeCase;
import dev.gatehouse.config.yaml.Unsupported;
import dev.gatehouse.config.yaml.YamlName;
import java.util.List;
import java.util.Map;

/**
 * The {@code config} of the {@code ambassador} Module: defaults for every Mapping and settings of
 * the edge itself. Keys and defaults are Emissary 3.x's; keys that only tune Envoy internals are
 * accepted and ignored with a warning.
 */
@SnakeCase
public record AmbassadorConfig(
    Diagnostics diagnostics,
    @Default("0") @Range(min = 0) Integer xffNumTrustedHops,
    @Default("true") Boolean useRemoteAddress,
    @Default("false") Boolean mergeSlashes,
    @Default("false") Boolean rejectRequestsWithEscapedSlashes,
    @Default("60") @Range(min = 1, max = 8192) Integer maxRequestHeadersKb,
    @Default("envoy") String serverName,
    Cors cors,
    RetryPolicy retryPolicy,
    List<CircuitBreaker> circuitBreakers,
    LoadBalancer loadBalancer,
    @Default("ambassador") String defaultLabelDomain,
    Map<String, DefaultLabels> defaultLabels,
    List<ErrorResponseOverride> errorResponseOverrides,
    @Range(min = 0) Integer clusterRequestTimeoutMs,
    @Range(min = 0) Integer clusterIdleTimeoutMs,
    @Range(min = 0) Integer clusterMaxConnectionLifetimeMs,
    @Range(min = 0) Integer listenerIdleTimeoutMs,
    @Default("false") Boolean preserveExternalRequestId,
    @Default("false") Boolean suppressEnvoyHeaders,
    @Default("false") Boolean stripMatchingHostPort,
    @Default("false") Boolean xForwardedProtoRedirect,
    @Default("false") Boolean allowChunkedLength,
    @Default("false") Boolean enableHttp10,
    @Range(min = 0) Integer bufferLimitBytes,
    Probe livenessProbe,
    Probe readinessProbe,
    @Default("text") LogType envoyLogType,
    Object envoyLogFormat,
    String envoyLogPath,
    String resolver,
    @Unsupported("Linkerd is not integrated") Object addLinkerdHeaders,
    @Unsupported("the admin port is --admin-port") Object adminPort,
    @Unsupported("legacy toggle") Object authEnabled,
    @Unsupported("debug logging is set with --log-level") Object debugMode,
    @Unsupported("per-kind defaults are not implemented") Object defaults,
    @Unsupported("gRPC-HTTP/1.1 bridging is not implemented") Object enableGrpcHttp11Bridge,
    @Unsupported("gRPC-Web is not implemented") Object enableGrpcWeb,
    @Unsupported("IPv4 is always used") Object enableIpv4,
    @Unsupported("IPv6 lookups are not done") Object enableIpv6,
    @Unsupported("there is no Envoy to validate") Object envoyValidationTimeout,
    @Unsupported("client certificates are not forwarded") Object forwardClientCertDetails,
    @Unsupported("gRPC stats are not collected separately") Object grpcStats,
    @Unsupported("compression is not implemented") Object gzip,
    @Unsupported("request buffering is automatic for retries") Object buffer,
    @Unsupported("header case is preserved as received") Object headerCaseOverrides,
    @Unsupported("headers with underscores are passed through") Object headersWithUnderscoresAction,
    @Unsupported("IP allow lists are not implemented") Object ipAllow,
    @Unsupported("IP deny lists are not implemented") Object ipDeny,
    @Unsupported("TCP keepalive uses the OS defaults") Object keepalive,
    @Unsupported("Lua is not available") Object luaScripts,
    @Unsupported("header case is preserved as received") Object properCase,
    @Unsupported("every route is kept") Object pruneUnreachableRoutes,
    @Unsupported("RE2 program size is not limited") Object regexMaxSize,
    @Unsupported("every regex is RE2") Object regexType,
    @Unsupported("ports are set with flags") Object servicePort,
    @Unsupported("client certificates are not forwarded") Object setCurrentClientCertDetails,
    @Unsupported("metrics are exported for Prometheus at /metrics") Object statsd,
    @Unsupported("services are resolved as written")
        Object useAmbassadorNamespaceForServiceResolution,
    @Unsupported("the PROXY protocol is not implemented") Object useProxyProto) {

  /** Where and to whom the diagnostics UI is served. */
  @SnakeCase
  public record Diagnostics(
      @Default("true") Boolean enabled, @Default("false") Boolean allowNonLocal) {}

  /** Labels prepended to every label group of one domain. */
  @SnakeCase
  public record DefaultLabels(
      List<LabelSpecifier> defaults,
      @Unsupported("label prefixes are not implemented") Object labelPrefix) {}

  /** A liveness or readiness probe route. */
  public record Probe(
      @Default("true") Boolean enabled, String prefix, String rewrite, String service) {}

  /** The access-log format family. */
  public enum LogType {
    TEXT,
    JSON,
    @YamlName("typed_json")
    TYPED_JSON
  }
}
