package dev.gatehouse.authz.external;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.config.auth.ExternalFilter;
import dev.gatehouse.config.traffic.Service;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The compiled AuthService fields of an External Filter, shared by the gRPC and HTTP forms: where
 * to call, how long to wait, which headers go there and come back, how much body to send, and what
 * a failure means ({@code failure_mode_allow}, else {@code status_on_error}, 403 by default).
 */
record Delegation(
    Service service,
    String pathPrefix,
    long timeoutMillis,
    Set<String> requestHeaders,
    Set<String> authorizationHeaders,
    int maxBodyBytes,
    boolean failureModeAllow,
    int errorStatus) {

  /** Sent to an HTTP auth service whatever the configuration says, as Emissary does. */
  static final Set<String> ALWAYS_SENT =
      Set.of(
          "authorization",
          "cookie",
          "from",
          "proxy-authorization",
          "user-agent",
          "x-forwarded-for",
          "x-forwarded-host",
          "x-forwarded-proto");

  /** Copied back from an HTTP auth service's answer whatever the configuration says. */
  static final Set<String> ALWAYS_RETURNED =
      Set.of("authorization", "location", "proxy-authenticate", "set-cookie", "www-authenticate");

  static Delegation of(ExternalFilter spec) {
    int maxBody = 0;
    if (spec.includeBody() != null) {
      maxBody = spec.includeBody().maxBytes();
    } else if (Boolean.TRUE.equals(spec.allowRequestBody())) {
      maxBody = 4096;
    }
    return new Delegation(
        Service.parse(spec.authService()),
        spec.pathPrefix(),
        spec.timeoutMs(),
        lowerCase(spec.allowedRequestHeaders(), ALWAYS_SENT),
        lowerCase(spec.allowedAuthorizationHeaders(), ALWAYS_RETURNED),
        maxBody,
        Boolean.TRUE.equals(spec.failureModeAllow()),
        spec.statusOnError() == null ? 403 : spec.statusOnError().code());
  }

  private static Set<String> lowerCase(List<String> names, Set<String> always) {
    Set<String> out = new TreeSet<>(always);
    if (names != null) {
      names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
    }
    return Set.copyOf(out);
  }

  /** The answer when the auth service cannot be asked or answers with an error. */
  Verdict failure() {
    return failureModeAllow
        ? Verdict.ALLOW
        : Verdict.Deny.of(errorStatus, "external authorization service unavailable\n");
  }

  /** The body to forward, cut to {@code maxBodyBytes}; empty when bodies are not sent. */
  String body(AuthzRequest request) {
    if (maxBodyBytes == 0) {
      return "";
    }
    String body = request.body();
    return body.length() <= maxBodyBytes ? body : body.substring(0, maxBodyBytes);
  }

  Map<String, String> headersToSend(AuthzRequest request) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    request
        .headers()
        .forEach(
            (name, value) -> {
              if (requestHeaders.contains(name)) {
                out.put(name, value);
              }
            });
    return out;
  }
}
