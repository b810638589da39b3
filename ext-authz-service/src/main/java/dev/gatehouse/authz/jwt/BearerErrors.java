package dev.gatehouse.authz.jwt;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.config.auth.InjectedHeader;
import dev.gatehouse.config.auth.JwtFilter;
import dev.gatehouse.config.template.HeaderLookup;
import dev.gatehouse.config.template.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The denials of a JWT filter: RFC 6750 {@code WWW-Authenticate: Bearer} challenges, plus the
 * Filter's {@code errorResponse} (realm, extra header templates, body template, content type).
 * Templates see {@code .status_code}, {@code .error}, {@code .message} and {@code
 * .httpRequestHeader}.
 */
final class BearerErrors {
  static final String DEFAULT_BODY =
      "{\"error\":{{ .error | json }},\"message\":{{ .message | json }},"
          + "\"status_code\":{{ .status_code }}}";

  private final String realm;
  private final List<Map.Entry<String, Template>> headers;
  private final Template body;
  private final String contentType;

  BearerErrors(String defaultRealm, JwtFilter.ErrorResponse spec) {
    this.realm = spec == null || spec.realm() == null ? defaultRealm : sanitizeQuoted(spec.realm());
    this.headers = new ArrayList<>();
    if (spec != null && spec.headers() != null) {
      for (InjectedHeader header : spec.headers()) {
        headers.add(Map.entry(header.name(), Template.compile(header.value())));
      }
    }
    this.body =
        Template.compile(
            spec == null || spec.bodyTemplate() == null ? DEFAULT_BODY : spec.bodyTemplate());
    this.contentType =
        spec == null || spec.contentType() == null ? "application/json" : spec.contentType();
  }

  /** No bearer token at all: a bare challenge, as RFC 6750 section 3.1 asks. */
  Verdict.Deny missingToken(AuthzRequest request) {
    return deny(request, 401, "Bearer realm=\"" + realm + "\"", "invalid_request", "no token");
  }

  /** A token that did not verify, or lacks a scope. */
  Verdict.Deny rejected(AuthzRequest request, TokenException problem, String requiredScope) {
    boolean scope = problem.errorCode().equals("insufficient_scope");
    String challenge =
        "Bearer realm=\""
            + realm
            + "\", error=\""
            + problem.errorCode()
            + "\", error_description=\""
            + sanitizeQuoted(problem.getMessage())
            + "\""
            + (scope && requiredScope != null
                ? ", scope=\"" + sanitizeQuoted(requiredScope) + "\""
                : "");
    return deny(request, scope ? 403 : 401, challenge, problem.errorCode(), problem.getMessage());
  }

  /** The keys could not be had: not the client's fault, so no challenge. */
  Verdict.Deny unavailable(AuthzRequest request) {
    return deny(request, 503, null, "temporarily_unavailable", "token keys unavailable");
  }

  private Verdict.Deny deny(
      AuthzRequest request, int status, String challenge, String error, String message) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status_code", status);
    data.put("error", error);
    data.put("message", message);
    data.put("httpRequestHeader", (HeaderLookup) name -> orEmpty(request.header(name)));
    List<Map.Entry<String, String>> out = new ArrayList<>();
    out.add(Map.entry("content-type", contentType));
    if (challenge != null) {
      out.add(Map.entry("www-authenticate", challenge));
    }
    for (Map.Entry<String, Template> header : headers) {
      out.add(Map.entry(header.getKey(), header.getValue().renderHeaderValue(data)));
    }
    return new Verdict.Deny(status, out, body.render(data));
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  /** A value for inside a quoted-string: no quotes, backslashes or control characters. */
  private static String sanitizeQuoted(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      out.append(c == '"' || c == '\\' || c < 0x20 || c == 0x7f ? '\'' : c);
    }
    return out.toString();
  }
}
