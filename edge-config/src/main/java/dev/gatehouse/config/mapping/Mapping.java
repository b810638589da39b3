package dev.gatehouse.config.mapping;

import dev.gatehouse.config.ratelimit.LabelGroup;
import dev.gatehouse.config.traffic.AddedHeader;
import dev.gatehouse.config.traffic.CircuitBreaker;
import dev.gatehouse.config.traffic.Cors;
import dev.gatehouse.config.traffic.ErrorResponseOverride;
import dev.gatehouse.config.traffic.HealthCheck;
import dev.gatehouse.config.traffic.LoadBalancer;
import dev.gatehouse.config.traffic.OutlierDetection;
import dev.gatehouse.config.traffic.RegexMap;
import dev.gatehouse.config.traffic.RetryPolicy;
import dev.gatehouse.config.traffic.Service;
import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Re2;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;
import dev.gatehouse.config.yaml.Unsupported;
import dev.gatehouse.config.yaml.YamlName;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The spec of a {@code Mapping}: which requests it matches, where they go, and how. Field names,
 * types and defaults are Emissary 3.x's.
 *
 * <p>Durations in {@code *_ms} fields are integer milliseconds; {@code timeout_ms: 0} disables the
 * request timeout, as in Envoy.
 */
@SnakeCase
public record Mapping(
    // What to match.
    @Required @Re2(when = "prefix_regex") String prefix,
    @Default("false") Boolean prefixRegex,
    @Default("false") Boolean prefixExact,
    @Default("true") Boolean caseSensitive,
    String hostname,
    @Re2(when = "host_regex") String host,
    @Default("false") Boolean hostRegex,
    @Re2(when = "method_regex") String method,
    @Default("false") Boolean methodRegex,
    Map<String, String> headers,
    @Re2 Map<String, String> regexHeaders,
    Map<String, String> queryParameters,
    @Re2 Map<String, String> regexQueryParameters,
    @Default("0") Integer precedence,
    // Where it goes.
    @Required String service,
    @Default("/") String rewrite,
    RegexMap regexRewrite,
    String hostRewrite,
    @Default("false") Boolean autoHostRewrite,
    @Default("false") Boolean hostRedirect,
    String pathRedirect,
    String prefixRedirect,
    RegexMap regexRedirect,
    Integer redirectResponseCode,
    @Range(min = 0, max = 100) Integer weight,
    @Default("false") Boolean shadow,
    String tls,
    String resolver,
    @Default("false") Boolean grpc,
    List<String> allowUpgrade,
    Boolean useWebsocket,
    // Headers.
    Map<String, AddedHeader> addRequestHeaders,
    Map<String, AddedHeader> addResponseHeaders,
    List<String> removeRequestHeaders,
    List<String> removeResponseHeaders,
    // Timeouts, in milliseconds.
    @Default("3000") @Range(min = 0) Integer timeoutMs,
    @Range(min = 0) Integer idleTimeoutMs,
    @Range(min = 0) Integer connectTimeoutMs,
    @Range(min = 0) Integer clusterIdleTimeoutMs,
    @Range(min = 0) Integer clusterMaxConnectionLifetimeMs,
    // Resilience.
    RetryPolicy retryPolicy,
    List<CircuitBreaker> circuitBreakers,
    OutlierDetection outlierDetection,
    LoadBalancer loadBalancer,
    List<HealthCheck> healthChecks,
    // Cross-cutting.
    Cors cors,
    @Default("false") Boolean bypassAuth,
    Map<String, String> authContextExtensions,
    Map<String, List<LabelGroup>> labels,
    Docs docs,
    String statsName,
    List<ErrorResponseOverride> errorResponseOverrides,
    @Default("false") Boolean bypassErrorResponseOverrides,
    String clusterTag,
    // Documented by Emissary, accepted, not acted on.
    @Unsupported("Linkerd is not integrated") Object addLinkerdHeaders,
    @Unsupported("endpoints are resolved by the control plane") Object dnsType,
    @Unsupported("IPv4 is always used") Object enableIpv4,
    @Unsupported("IPv6 lookups are not done") Object enableIpv6,
    @Unsupported("DNS TTLs come from the resolver") Object respectDnsTtl,
    @Unsupported("TCP keepalive uses the OS defaults") Object keepalive,
    @Unsupported("there is no Envoy to override") Object envoyOverride,
    @Unsupported("use precedence") Object priority,
    @Unsupported("opaque to Emissary too") Object modules,
    // Hints Emissary's v2 conversion writes into stored resources (kubectl get -o yaml shows them).
    @YamlName("v2ExplicitTLS") @Unsupported("a getambassador.io/v2 round-trip hint")
        Object v2ExplicitTls,
    @YamlName("v2BoolHeaders") @Unsupported("a getambassador.io/v2 round-trip hint")
        Object v2BoolHeaders,
    @YamlName("v2BoolQueryParameters") @Unsupported("a getambassador.io/v2 round-trip hint")
        Object v2BoolQueryParameters) {

  private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);

  public Mapping {
    if (!prefixRegex && !prefix.startsWith("/")) {
      throw new FieldException("prefix", quote(prefix) + " (expected: a path starting with \"/\")");
    }
    Service.parse("service", service);
    if (redirectResponseCode != null) {
      if (!REDIRECT_CODES.contains(redirectResponseCode)) {
        throw new FieldException(
            "redirect_response_code",
            redirectResponseCode + " (expected: one of 301, 302, 303, 307, 308)");
      }
    }
    int redirects =
        (pathRedirect != null ? 1 : 0)
            + (prefixRedirect != null ? 1 : 0)
            + (regexRedirect != null ? 1 : 0);
    if (redirects > 0 && !hostRedirect) {
      String field =
          pathRedirect != null
              ? "path_redirect"
              : prefixRedirect != null ? "prefix_redirect" : "regex_redirect";
      throw new FieldException(field, "set without host_redirect (expected: host_redirect: true)");
    }
    if (redirects > 1) {
      throw new FieldException(
          "path_redirect",
          "several redirect paths given (expected: at most one of path_redirect, prefix_redirect, regex_redirect)");
    }
    if (pathRedirect != null && !pathRedirect.startsWith("/")) {
      throw new FieldException(
          "path_redirect", quote(pathRedirect) + " (expected: a path starting with \"/\")");
    }
    if (hostname != null && hostname.isBlank()) {
      throw new FieldException(
          "hostname", "\"\" (expected: a host name or a DNS glob such as *.example.com)");
    }
    if (hostRewrite != null && autoHostRewrite) {
      throw new FieldException(
          "auto_host_rewrite", "true together with host_rewrite (expected: one of them)");
    }
    for (String protocol : allowUpgrade) {
      if (protocol.isBlank()) {
        throw new FieldException(
            "allow_upgrade", "\"\" (expected: a protocol name such as websocket)");
      }
    }
    labels = Map.copyOf(labels);
  }

  /** The protocols that may be upgraded to, with the deprecated {@code use_websocket} folded in. */
  public List<String> upgrades() {
    if (Boolean.TRUE.equals(useWebsocket) && !allowUpgrade.contains("websocket")) {
      return java.util.stream.Stream.concat(
              allowUpgrade.stream(), java.util.stream.Stream.of("websocket"))
          .toList();
    }
    return allowUpgrade;
  }

  /** The upstream address, parsed. */
  public Service upstream() {
    return Service.parse(service);
  }

  /**
   * The host to match: {@code hostname} (a DNS glob), else the deprecated exact {@code host}, else
   * any host ("*").
   */
  public String effectiveHostname() {
    if (hostname != null) {
      return hostname;
    }
    return host != null && !hostRegex ? host : "*";
  }

  private static String quote(String text) {
    return dev.gatehouse.config.yaml.Binder.quote(text);
  }
}
