package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.Unsupported;
import dev.gatehouse.config.yaml.YamlName;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An OAuth2 Filter: OpenID Connect single sign-on (authorization code with PKCE) for browsers, and
 * bearer-token checks, against the provider at {@code authorizationURL}.
 */
public record OAuth2Filter(
    @Required String authorizationURL,
    @Default("0s") Duration expirationSafetyMargin,
    @Default("AuthorizationCode") GrantType grantType,
    ClientAuthentication clientAuthentication,
    String clientURL,
    List<ProtectedOrigin> protectedOrigins,
    SessionCookies useSessionCookies,
    Duration clientSessionMaxIdle,
    String postLogoutRedirectURI,
    Map<String, String> extraAuthorizationParameters,
    String clientID,
    String secret,
    String secretName,
    String secretNamespace,
    @Default("false") Boolean allowMalformedAccessToken,
    @Default("auto") AccessTokenValidation accessTokenValidation,
    FilterReference accessTokenJWTFilter,
    List<InjectedHeader> injectRequestHeaders,
    @Default("false") Boolean insecureTLS,
    Duration maxStale,
    @Unsupported("TLS renegotiation is never done") Object renegotiateTLS,
    @Unsupported("deprecated and ignored by Edge Stack too") Object stateTTL) {

  public OAuth2Filter {
    Urls.requireHttp("authorizationURL", authorizationURL);
    if (grantType == GrantType.AUTHORIZATION_CODE) {
      if (protectedOrigins.isEmpty() && clientURL == null) {
        throw new FieldException(
            "protectedOrigins",
            "missing (expected: at least one origin for grantType AuthorizationCode)");
      }
      if (clientID == null) {
        throw new FieldException(
            "clientID",
            "required field is missing (expected: the client ID for grantType AuthorizationCode)");
      }
    }
    if (secret != null && secretName != null) {
      throw new FieldException(
          "secretName", "given together with secret (expected: one of secret or secretName)");
    }
    if (clientURL != null) {
      Urls.requireHttp("clientURL", clientURL);
      if (protectedOrigins.isEmpty()) {
        protectedOrigins = List.of(new ProtectedOrigin(clientURL, null, List.of(), false));
      }
    }
    if (postLogoutRedirectURI != null) {
      Urls.requireHttp("postLogoutRedirectURI", postLogoutRedirectURI);
    }
    if (expirationSafetyMargin.isNegative()) {
      throw new FieldException("expirationSafetyMargin", "negative (expected: >= 0s)");
    }
  }

  /** The OAuth2 grant the filter uses. */
  public enum GrantType {
    @YamlName("AuthorizationCode")
    AUTHORIZATION_CODE,
    @YamlName("ClientCredentials")
    CLIENT_CREDENTIALS,
    @YamlName("Password")
    PASSWORD
  }

  /** How to check an access token: as a JWT, at the userinfo endpoint, or whichever fits. */
  public enum AccessTokenValidation {
    AUTO,
    JWT,
    USERINFO
  }

  /** How the filter authenticates itself to the token endpoint. */
  public record ClientAuthentication(
      @Default("HeaderPassword") Method method, Object jwtAssertion) {
    /** client_secret_basic, client_secret_post, or private_key_jwt. */
    public enum Method {
      @YamlName("HeaderPassword")
      HEADER_PASSWORD,
      @YamlName("BodyPassword")
      BODY_PASSWORD,
      @YamlName("JWTAssertion")
      JWT_ASSERTION
    }

    public ClientAuthentication {
      if (method == Method.JWT_ASSERTION) {
        throw new FieldException(
            "method",
            "\"JWTAssertion\" (expected: HeaderPassword or BodyPassword; JWT assertions are not supported yet)");
      }
    }
  }

  /** An origin whose cookies the filter may set, and the names it is reached by internally. */
  public record ProtectedOrigin(
      @Required String origin,
      String internalOrigin,
      List<String> allowedInternalOrigins,
      @Default("false") Boolean includeSubdomains) {
    public ProtectedOrigin {
      Urls.requireHttp("origin", origin);
    }
  }

  /**
   * Whether the session cookie lasts only for the browser session, maybe only for some requests.
   */
  public record SessionCookies(@Default("true") Boolean value, HeaderMatch ifRequestHeader) {}

  /** A reference to another Filter, with arguments for it. */
  public record FilterReference(
      @Required String name,
      String namespace,
      @Default("false") Boolean inheritScopeArgument,
      @Default("false") Boolean stripInheritedScope,
      Map<String, Object> arguments) {}
}
