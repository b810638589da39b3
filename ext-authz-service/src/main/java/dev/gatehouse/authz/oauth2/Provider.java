package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.jwt.JwksCache;
import dev.gatehouse.authz.jwt.TokenRules;
import dev.gatehouse.authz.jwt.TokenVerifier;
import dev.gatehouse.authz.jwt.VerifiedToken;
import dev.gatehouse.config.auth.OAuth2Filter;
import dev.gatehouse.config.auth.OAuth2Filter.ClientAuthentication.Method;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One OIDC provider as a filter talks to it: discovery from {@code authorizationURL} (cached; after
 * a failure retried at most every few seconds), ID and access token verification over its JWKS, and
 * the token and userinfo endpoints. Every call is a Vert.x web client call with the configured
 * timeout; nothing blocks.
 */
final class Provider {
  private static final long DISCOVERY_RETRY_MILLIS = 5_000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Provider.class);

  /** What a token endpoint answered. */
  record Tokens(
      String accessToken,
      String refreshToken,
      String idToken,
      long expiresInSeconds,
      String scope) {}

  /** The provider answered, but refused (4xx), or could not be reached. */
  static final class ProviderException extends RuntimeException {
    final boolean refused;

    ProviderException(boolean refused, String message) {
      super(message, null, false, false);
      this.refused = refused;
    }
  }

  private record Discovered(
      ProviderMetadata metadata, TokenVerifier idTokens, TokenVerifier accessTokens) {}

  private final AuthzRuntime runtime;
  private final WebClient client;
  private final OAuth2Filter spec;
  private final String clientSecret;
  private final AtomicReference<Future<Discovered>> discovery = new AtomicReference<>();
  private volatile long lastFailureMillis;

  Provider(AuthzRuntime runtime, OAuth2Filter spec, String clientSecret) {
    this.runtime = runtime;
    this.client = runtime.webClient(spec.insecureTLS());
    this.spec = spec;
    this.clientSecret = clientSecret;
  }

  Future<ProviderMetadata> metadata() {
    return discovered().map(Discovered::metadata);
  }

  private Future<Discovered> discovered() {
    Future<Discovered> current = discovery.get();
    if (current != null && !current.failed()) {
      return current;
    }
    if (current != null && runtime.clock().millis() - lastFailureMillis < DISCOVERY_RETRY_MILLIS) {
      return current;
    }
    Future<Discovered> fetching = fetchDiscovery();
    if (!discovery.compareAndSet(current, fetching)) {
      return discovery.get();
    }
    fetching.onFailure(
        e -> {
          lastFailureMillis = runtime.clock().millis();
          LOG.warn("OIDC discovery at {} failed: {}", spec.authorizationURL(), e.getMessage());
        });
    return fetching;
  }

  private Future<Discovered> fetchDiscovery() {
    String base = spec.authorizationURL().replaceAll("/+$", "");
    return client
        .getAbs(base + "/.well-known/openid-configuration")
        .timeout(runtime.outboundTimeout().toMillis())
        .send()
        .recover(e -> Future.failedFuture(new ProviderException(false, "discovery: " + e)))
        .map(
            response -> {
              if (response.statusCode() != 200) {
                throw new ProviderException(false, "discovery answered " + response.statusCode());
              }
              ProviderMetadata metadata = ProviderMetadata.parse(response.bodyAsJsonObject());
              JwksCache keys =
                  new JwksCache(
                      client,
                      metadata.jwksUri(),
                      runtime.jwks().refreshAfter(),
                      spec.maxStale() == null ? runtime.jwks().defaultMaxStale() : spec.maxStale(),
                      runtime.jwks().minFetchInterval(),
                      runtime.outboundTimeout(),
                      runtime.clock());
              Duration leeway = Duration.ofSeconds(30);
              TokenVerifier idTokens =
                  new TokenVerifier(
                      keys,
                      TokenRules.idToken(metadata.issuer(), spec.clientID(), leeway),
                      runtime.clock());
              TokenRules accessRules = TokenRules.idToken(metadata.issuer(), null, leeway);
              TokenVerifier accessTokens =
                  new TokenVerifier(
                      keys,
                      new TokenRules(
                          accessRules.algorithms(),
                          metadata.issuer(),
                          true,
                          null,
                          false,
                          true,
                          leeway,
                          false,
                          leeway,
                          false,
                          leeway),
                      runtime.clock());
              return new Discovered(metadata, idTokens, accessTokens);
            });
  }

  Future<VerifiedToken> verifyIdToken(String idToken) {
    return discovered().compose(d -> d.idTokens().verify(idToken));
  }

  Future<VerifiedToken> verifyAccessTokenJwt(String accessToken) {
    return discovered().compose(d -> d.accessTokens().verify(accessToken));
  }

  /** Whether the userinfo endpoint accepts the access token. */
  Future<Boolean> userinfoAccepts(String accessToken) {
    return metadata()
        .compose(
            m -> {
              if (m.userinfoEndpoint() == null) {
                return Future.failedFuture(new ProviderException(false, "no userinfo_endpoint"));
              }
              return client
                  .getAbs(m.userinfoEndpoint())
                  .timeout(runtime.outboundTimeout().toMillis())
                  .bearerTokenAuthentication(accessToken)
                  .send()
                  .map(r -> r.statusCode() == 200);
            });
  }

  Future<Tokens> exchangeCode(String code, String redirectUri, String verifier) {
    MultiMap form =
        MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "authorization_code")
            .add("code", code)
            .add("redirect_uri", redirectUri)
            .add("code_verifier", verifier);
    return tokenRequest(form, spec.clientID(), clientSecret);
  }

  Future<Tokens> refresh(String refreshToken) {
    MultiMap form =
        MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "refresh_token")
            .add("refresh_token", refreshToken);
    return tokenRequest(form, spec.clientID(), clientSecret);
  }

  /** The Resource Owner Password Credentials grant (RFC 6749 4.3), as this filter's client. */
  Future<Tokens> password(String username, String password, String scope) {
    MultiMap form =
        MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "password")
            .add("username", username)
            .add("password", password);
    if (!scope.isEmpty()) {
      form.add("scope", scope);
    }
    return tokenRequest(form, spec.clientID(), clientSecret);
  }

  Future<Tokens> clientCredentials(String clientId, String secret, String scope) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "client_credentials");
    if (!scope.isEmpty()) {
      form.add("scope", scope);
    }
    return tokenRequest(form, clientId, secret);
  }

  private Future<Tokens> tokenRequest(MultiMap form, String clientId, String secret) {
    return metadata()
        .compose(
            m -> {
              var request =
                  client.postAbs(m.tokenEndpoint()).timeout(runtime.outboundTimeout().toMillis());
              Method method =
                  spec.clientAuthentication() == null
                      ? Method.HEADER_PASSWORD
                      : spec.clientAuthentication().method();
              if (method == Method.BODY_PASSWORD) {
                form.add("client_id", clientId);
                if (secret != null) {
                  form.add("client_secret", secret);
                }
              } else {
                request.putHeader("authorization", basic(clientId, secret));
              }
              return request
                  .sendForm(form)
                  .recover(e -> Future.failedFuture(new ProviderException(false, "token: " + e)))
                  .map(Provider::tokens)
                  .map(this::wellFormed);
            });
  }

  /**
   * Refuses an access token that is not an RFC 6750 {@code b64token} (it could not travel in an
   * {@code Authorization: Bearer} header intact), unless {@code allowMalformedAccessToken}.
   */
  private Tokens wellFormed(Tokens tokens) {
    if (!Boolean.TRUE.equals(spec.allowMalformedAccessToken())
        && !BearerValidation.wellFormed(tokens.accessToken())) {
      throw new ProviderException(
          false,
          "token endpoint issued an access token that is not an RFC 6750 b64token"
              + " (allowMalformedAccessToken: false)");
    }
    return tokens;
  }

  private static Tokens tokens(HttpResponse<Buffer> response) {
    if (response.statusCode() >= 400 && response.statusCode() < 500) {
      throw new ProviderException(true, "token endpoint refused: " + response.statusCode());
    }
    if (response.statusCode() != 200) {
      throw new ProviderException(false, "token endpoint answered " + response.statusCode());
    }
    JsonObject json = response.bodyAsJsonObject();
    if (json == null || json.getString("access_token") == null) {
      throw new ProviderException(false, "token endpoint answer lacks access_token");
    }
    return new Tokens(
        json.getString("access_token"),
        json.getString("refresh_token"),
        json.getString("id_token"),
        json.getLong("expires_in", 0L),
        json.getString("scope"));
  }

  private static String basic(String clientId, String secret) {
    String pair =
        java.net.URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + ":"
            + java.net.URLEncoder.encode(secret == null ? "" : secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
