package dev.gatehouse.authz.oauth2;

import com.hazelcast.core.HazelcastInstance;
import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterRegistry;
import dev.gatehouse.authz.HeaderCondition;
import dev.gatehouse.authz.Interceptor;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.authz.jwt.JwtValidatingFilter;
import dev.gatehouse.authz.session.ControlPlaneKeys;
import dev.gatehouse.authz.session.CookieSigner;
import dev.gatehouse.authz.session.HazelcastSessionStore;
import dev.gatehouse.authz.session.KeyRing;
import dev.gatehouse.authz.session.SessionStore;
import dev.gatehouse.authz.session.SigningKeys;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.OAuth2Filter;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * OAuth2 Filters and their endpoints. As a {@link FilterRegistry.FilterFactory} it builds the
 * filters; as an {@link Interceptor} it serves the callback and logout for whichever filter the
 * request's cookies name. Sessions and the signing key come from a shared store, created on the
 * first OAuth2 Filter (so a configuration without one never starts Hazelcast).
 */
public final class OAuth2Module implements FilterRegistry.FilterFactory, Interceptor {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OAuth2Module.class);

  /** The shared state OAuth2 needs: sessions, and the keys that sign cookies. */
  public record Shared(SessionStore sessions, SigningKeys keys) {
    /** With one fixed signing key of at least 32 bytes. */
    public Shared(SessionStore sessions, byte[] signingKey) {
      this(sessions, SigningKeys.fixed(signingKey));
    }
  }

  /** How long the first OAuth2 Filter waits for the control plane's first signing key. */
  static final Duration KEYS_WAIT = Duration.ofSeconds(10);

  private final Supplier<Shared> sharedSupplier;
  private volatile Shared shared;
  private final Map<String, OAuth2LoginFilter> filters = new ConcurrentHashMap<>();

  /**
   * @param shared called once, on a configuration thread, when the first OAuth2 Filter loads
   */
  public OAuth2Module(Supplier<Shared> shared) {
    this.sharedSupplier = shared;
  }

  @Override
  public Filter create(Resource<dev.gatehouse.config.auth.Filter> resource, AuthzRuntime runtime) {
    return create(resource, runtime, id -> null);
  }

  @Override
  public Filter create(
      Resource<dev.gatehouse.config.auth.Filter> resource,
      AuthzRuntime runtime,
      java.util.function.Function<String, Filter> served) {
    OAuth2Filter spec = resource.spec().oauth2();
    if (spec == null) {
      return null;
    }
    refuseUnimplemented(spec);
    if (spec.secretName() != null) {
      throw new IllegalArgumentException(
          "secretName needs Kubernetes Secrets from the control plane (expected: secret)");
    }
    Shared state = shared();
    OAuth2Context context =
        new OAuth2Context(
            resource.name(),
            resource.namespace(),
            spec,
            new Provider(runtime, spec, spec.secret()),
            new CookieSigner(state.keys()),
            state.sessions(),
            runtime,
            JwtValidatingFilter.compileTemplates(spec.injectRequestHeaders()),
            spec.useSessionCookies() == null
                ? null
                : HeaderCondition.of(spec.useSessionCookies().ifRequestHeader()));
    OAuth2LoginFilter filter =
        new OAuth2LoginFilter(context, AccessTokenJwtFilter.of(resource, spec, served));
    filters.put(context.id(), filter);
    return filter;
  }

  /**
   * Sessions and signing keys in Hazelcast, started (or joined) when first needed. As a client of
   * the control plane's cluster the keys are the control plane's rotating ones ({@link
   * ControlPlaneKeys}); as a member of ext-authz's own cluster, one key its first member created.
   */
  public static Supplier<Shared> hazelcast(
      io.vertx.core.Vertx vertx, Supplier<HazelcastInstance> hazelcast) {
    return () -> {
      HazelcastInstance instance = hazelcast.get();
      return new Shared(new HazelcastSessionStore(vertx, instance), keys(instance));
    };
  }

  private static SigningKeys keys(HazelcastInstance instance) {
    if (!(instance.getLocalEndpoint() instanceof com.hazelcast.client.Client)) {
      return SigningKeys.fixed(KeyRing.signingKey(instance, "cookie-signing"));
    }
    ControlPlaneKeys keys =
        ControlPlaneKeys.follow(instance, Duration.ofSeconds(5), java.time.Clock.systemUTC());
    try {
      if (!keys.awaitKeys(KEYS_WAIT)) {
        LOG.warn(
            "no signing key from the control plane within {}; logins fail until one arrives",
            KEYS_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return keys;
  }

  /**
   * Fields Edge Stack documents that this filter does not act on yet: refused rather than silently
   * ignored, since each one changes who gets in.
   */
  private static void refuseUnimplemented(OAuth2Filter spec) {
    for (int i = 0; i < spec.protectedOrigins().size(); i++) {
      OAuth2Filter.ProtectedOrigin origin = spec.protectedOrigins().get(i);
      List<String> internal = new java.util.ArrayList<>(origin.allowedInternalOrigins());
      if (origin.internalOrigin() != null) {
        internal.add(origin.internalOrigin());
      }
      for (String pattern : internal) {
        if (!pattern.matches("(\\*|https?)://[^/?#]+/?")) {
          throw new IllegalArgumentException(
              "protectedOrigins["
                  + i
                  + "]: internal origin \""
                  + pattern
                  + "\" (expected: scheme://authority, either may be *)");
        }
        if (pattern.contains("*") && Boolean.TRUE.equals(origin.includeSubdomains())) {
          throw new IllegalArgumentException(
              "protectedOrigins["
                  + i
                  + "]: internal origin \""
                  + pattern
                  + "\" with includeSubdomains (expected: no * with includeSubdomains: true)");
        }
      }
    }
  }

  private Shared shared() {
    if (shared == null) {
      synchronized (this) {
        if (shared == null) {
          shared = sharedSupplier.get();
        }
      }
    }
    return shared;
  }

  @Override
  public Future<Verdict> intercept(AuthzRequest request) {
    if (filters.isEmpty() || !request.path().startsWith("/.ambassador/oauth2/")) {
      return null;
    }
    String path = request.pathOnly();
    if (path.equals(OAuth2Context.CALLBACK_PATH)) {
      return callback(request);
    }
    if (path.equals(OAuth2Context.LOGOUT_PATH)) {
      if (!request.method().equals("POST")) {
        return Future.succeededFuture(Verdict.Deny.of(405, "logout takes POST\n"));
      }
      return logout(request);
    }
    return null;
  }

  private Future<Verdict> callback(AuthzRequest request) {
    String state = Forms.parse(Forms.query(request.path())).get("state");
    String cookies = request.header("cookie");
    long now = System.currentTimeMillis();
    for (OAuth2LoginFilter filter : filters.values()) {
      OAuth2Context context = filter.context();
      LoginState login =
          LoginState.decode(context.signer(), Cookies.get(cookies, context.loginCookie()), now);
      if (login != null
          && state != null
          && MessageDigest.isEqual(
              login.state().getBytes(StandardCharsets.UTF_8),
              state.getBytes(StandardCharsets.UTF_8))) {
        return LoginCallback.finish(context, request, login);
      }
    }
    // No login of this browser matches: a forged, replayed-elsewhere or expired callback.
    return Future.succeededFuture(
        Verdict.Deny.of(403, "login state missing, expired or not matching\n"));
  }

  private Future<Verdict> logout(AuthzRequest request) {
    String cookies = request.header("cookie");
    for (OAuth2LoginFilter filter : filters.values()) {
      OAuth2Context context = filter.context();
      String sessionId = context.signer().verify(Cookies.get(cookies, context.sessionCookie()));
      if (sessionId != null) {
        return context
            .sessions()
            .get(sessionId)
            .compose(
                session ->
                    session == null
                        ? Future.succeededFuture(Verdict.Deny.of(403, "no session to end\n"))
                        : Logout.logout(context, request, sessionId, session));
      }
    }
    return Future.succeededFuture(Verdict.Deny.of(403, "no session to end\n"));
  }
}
