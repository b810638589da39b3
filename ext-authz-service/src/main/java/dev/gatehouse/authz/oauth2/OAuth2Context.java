package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.HeaderCondition;
import dev.gatehouse.authz.session.CookieSigner;
import dev.gatehouse.authz.session.SessionStore;
import dev.gatehouse.config.auth.OAuth2Filter;
import dev.gatehouse.config.template.Template;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the parts of one OAuth2 Filter share: its identity and spec, the provider, the signer of its
 * cookies, the session store, and its cookie names ({@code ambassador_session.NAME.NAMESPACE} and
 * the like, so that several filters on one origin do not collide).
 */
record OAuth2Context(
    String name,
    String namespace,
    OAuth2Filter spec,
    Provider provider,
    CookieSigner signer,
    SessionStore sessions,
    AuthzRuntime runtime,
    List<Map.Entry<String, Template>> injected,
    HeaderCondition sessionCookiesIf) {

  static final String CALLBACK_PATH = "/.ambassador/oauth2/redirection-endpoint";
  static final String LOGOUT_PATH = "/.ambassador/oauth2/logout";
  static final Duration LOGIN_TTL = Duration.ofMinutes(10);
  static final Duration DEFAULT_IDLE = Duration.ofHours(24);

  String id() {
    return namespace + "/" + name;
  }

  String sessionCookie() {
    return "ambassador_session." + name + "." + namespace;
  }

  String xsrfCookie() {
    return "ambassador_xsrf." + name + "." + namespace;
  }

  String loginCookie() {
    return "ambassador_login." + name + "." + namespace;
  }

  boolean ownsCookie(String cookieName) {
    return cookieName.equals(sessionCookie())
        || cookieName.equals(xsrfCookie())
        || cookieName.equals(loginCookie());
  }

  /**
   * The origin the browser sees for {@code request} (a protected origin, also when a gateway in
   * front rewrote the Host to one of its internal origins); the request's own when none matches.
   */
  String publicOrigin(AuthzRequest request) {
    String origin = ReturnUrls.publicOrigin(request.origin(), spec.protectedOrigins());
    return origin == null ? request.origin() : origin;
  }

  /** Whether cookies for {@code request} get Secure: its public origin is https. */
  boolean secure(AuthzRequest request) {
    return publicOrigin(request).startsWith("https:");
  }

  Duration idle() {
    return spec.clientSessionMaxIdle() == null ? DEFAULT_IDLE : spec.clientSessionMaxIdle();
  }

  /**
   * Max-Age of the session and XSRF cookies set in answer to {@code request}: none (a browser
   * session) when {@code useSessionCookies.value} says so, for requests that match its {@code
   * ifRequestHeader} (the opposite for those that do not), else the idle timeout.
   */
  long sessionCookieMaxAge(AuthzRequest request) {
    if (spec.useSessionCookies() == null) {
      return idle().toSeconds();
    }
    boolean browserSession = Boolean.TRUE.equals(spec.useSessionCookies().value());
    if (sessionCookiesIf != null && !sessionCookiesIf.matches(request)) {
      browserSession = !browserSession;
    }
    return browserSession ? -1 : idle().toSeconds();
  }
}
