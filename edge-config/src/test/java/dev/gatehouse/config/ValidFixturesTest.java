package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.auth.ApiKeyFilter;
import dev.gatehouse.config.auth.AuthService;
import dev.gatehouse.config.auth.Filter;
import dev.gatehouse.config.auth.FilterPolicy;
import dev.gatehouse.config.auth.JwtFilter;
import dev.gatehouse.config.auth.OAuth2Filter;
import dev.gatehouse.config.host.Host;
import dev.gatehouse.config.host.TLSContext;
import dev.gatehouse.config.host.TlsVersion;
import dev.gatehouse.config.mapping.Mapping;
import dev.gatehouse.config.module.AmbassadorConfig;
import dev.gatehouse.config.module.Module;
import dev.gatehouse.config.ratelimit.LabelGroup;
import dev.gatehouse.config.ratelimit.LabelSpecifier;
import dev.gatehouse.config.ratelimit.RateLimit;
import dev.gatehouse.config.ratelimit.RateLimitService;
import dev.gatehouse.config.traffic.AddedHeader;
import dev.gatehouse.config.traffic.CircuitBreaker;
import dev.gatehouse.config.traffic.LoadBalancer;
import dev.gatehouse.config.traffic.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The documented shape of every kind loads, with Emissary's and Edge Stack's defaults applied. */
class ValidFixturesTest {
  private static LoadResult result;

  @BeforeAll
  static void load() {
    result = ResourceLoader.load(Path.of("src/test/resources/fixtures/valid"));
  }

  private static <T extends Record> Resource<T> get(
      Kind kind, Class<T> type, String qualifiedName) {
    return result.ofKind(kind, type).stream()
        .filter(r -> r.qualifiedName().equals(qualifiedName))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    kind + " " + qualifiedName + " did not load: " + result.problems()));
  }

  @Test
  void everyDocumentedShapeLoadsWithoutErrors() {
    assertThat(result.errors()).isEmpty();
    assertThat(result.summary())
        .isEqualTo(
            "loaded 20 resources (1 AuthService, 5 Filter, 1 FilterPolicy, 3 Host, 5 Mapping, 1 Module,"
                + " 1 RateLimit, 1 RateLimitService, 2 TLSContext); rejected 0; 2 warnings");
  }

  @Test
  void documentedButUnsupportedFieldsAndOldApiVersionsLoadWithAWarning() {
    assertThat(result.warnings())
        .map(ConfigError::toString)
        .containsExactly(
            "mappings.yaml:158: warning: Mapping default/shadow-and-v2-labels: apiVersion:"
                + " \"getambassador.io/v2\" is read as getambassador.io/v3alpha1",
            "services.yaml:70: warning: Module default/ambassador: spec.config.add_linkerd_headers:"
                + " not supported by Gatehouse yet, ignored (Linkerd is not integrated)");
  }

  @Test
  void mappingDefaultsAreEmissarys() {
    Resource<Mapping> quote = get(Kind.MAPPING, Mapping.class, "default/quote-backend");
    Mapping spec = quote.spec();
    assertThat(spec.timeoutMs()).isEqualTo(3000);
    assertThat(spec.rewrite()).isEqualTo("/");
    assertThat(spec.prefixRegex()).isFalse();
    assertThat(spec.caseSensitive()).isTrue();
    assertThat(spec.precedence()).isZero();
    assertThat(spec.weight()).isNull();
    assertThat(spec.headers()).isEmpty();
    assertThat(spec.circuitBreakers()).isEmpty();
    assertThat(quote.ambassadorIds()).containsExactly("default");
    assertThat(quote.source()).isEqualTo(new Source("mappings.yaml", 2));
  }

  @Test
  void everyMappingFieldIsBound() {
    Resource<Mapping> resource = get(Kind.MAPPING, Mapping.class, "shop/everything");
    Mapping m = resource.spec();
    assertThat(resource.labels()).containsEntry("team", "checkout");
    assertThat(m.rewrite()).as("an empty rewrite keeps the prefix").isEmpty();
    assertThat(m.caseSensitive()).isFalse();
    assertThat(m.hostname()).isEqualTo("*.example.com");
    assertThat(m.regexHeaders()).containsEntry("x-version", "^v[12]$");
    assertThat(m.upstream().tls()).isTrue();
    assertThat(m.upstream().port()).isEqualTo(8443);
    assertThat(m.addRequestHeaders())
        .containsEntry("x-plain", new AddedHeader("plain-value", true))
        .containsEntry("x-overwrite", new AddedHeader("forced", false));
    assertThat(m.timeoutMs()).isZero();
    assertThat(m.retryPolicy())
        .isEqualTo(new RetryPolicy(RetryPolicy.RetryOn.FIVE_XX, 3, Duration.ofMillis(500)));
    assertThat(m.circuitBreakers())
        .containsExactly(
            new CircuitBreaker(CircuitBreaker.Priority.DEFAULT, 2048, 512, 1024, 3),
            new CircuitBreaker(CircuitBreaker.Priority.HIGH, 1024, 1024, 100, 3));
    assertThat(m.outlierDetection().consecutive5xx()).isEqualTo(3);
    assertThat(m.outlierDetection().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(m.outlierDetection().maxEjectionPercent()).isEqualTo(10);
    assertThat(m.loadBalancer().policy()).isEqualTo(LoadBalancer.Policy.RING_HASH);
    assertThat(m.loadBalancer().cookie().ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(m.healthChecks()).hasSize(2);
    assertThat(m.healthChecks().get(0).unhealthyThreshold()).isEqualTo(2);
    assertThat(m.healthChecks().get(0).timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(m.healthChecks().get(1).healthCheck().grpc().upstreamName()).isEqualTo("cart");
    assertThat(m.cors().origins())
        .containsExactly("https://a.example.com", "https://b.example.com");
    assertThat(m.cors().headers()).containsExactly("Content-Type");
    assertThat(m.upgrades()).containsExactly("websocket");
    assertThat(m.docs().displayName()).isEqualTo("Cart API");
    assertThat(m.errorResponseOverrides().get(1).body().jsonFormat())
        .containsEntry("error", "unavailable");
    assertThat(m.labels().get("ambassador"))
        .containsExactly(
            new LabelGroup(
                "request_label_group",
                List.of(
                    new LabelSpecifier.RequestHeader("x-org", "x-org", true),
                    new LabelSpecifier.RemoteAddress("remote_address"),
                    new LabelSpecifier.GenericKey("generic_key", "cart"),
                    new LabelSpecifier.SourceCluster("source_cluster"),
                    new LabelSpecifier.DestinationCluster("destination_cluster"))));
    assertThat(resource.sourceOf("spec.retry_policy.num_retries").line()).isEqualTo(55);
  }

  @Test
  void v2LabelShorthandIsConverted() {
    Mapping m = get(Kind.MAPPING, Mapping.class, "default/shadow-and-v2-labels").spec();
    assertThat(m.shadow()).isTrue();
    assertThat(m.labels().get("ambassador").get(0).specifiers())
        .containsExactly(
            new LabelSpecifier.RequestHeader("x-org", "x-org", true),
            new LabelSpecifier.RemoteAddress("remote_address"),
            new LabelSpecifier.GenericKey("generic_key", "backend"));
  }

  @Test
  void deprecatedMappingFieldsStillWork() {
    Mapping legacy = get(Kind.MAPPING, Mapping.class, "default/legacy").spec();
    assertThat(legacy.upgrades()).containsExactly("websocket");
    assertThat(legacy.hostRegex()).isTrue();
    assertThat(legacy.effectiveHostname()).isEqualTo("*");
    Mapping redirect = get(Kind.MAPPING, Mapping.class, "default/redirect").spec();
    assertThat(redirect.hostRedirect()).isTrue();
    assertThat(redirect.redirectResponseCode()).isEqualTo(308);
  }

  @Test
  void hostsAndTlsContexts() {
    Host example = get(Kind.HOST, Host.class, "default/example").spec();
    assertThat(example.insecureAction()).isEqualTo(Host.InsecureAction.REDIRECT);
    assertThat(example.requestPolicy().insecure().additionalPort()).isEqualTo(8080);
    assertThat(example.effectiveMappingSelector().matches(Map.of("team", "web"))).isTrue();
    assertThat(example.effectiveMappingSelector().matches(Map.of("team", "api"))).isFalse();
    assertThat(get(Kind.HOST, Host.class, "default/api").spec().insecureAction())
        .isEqualTo(Host.InsecureAction.REJECT);
    assertThat(get(Kind.HOST, Host.class, "default/inline-tls").spec().tls().maxTlsVersion())
        .isEqualTo(TlsVersion.V1_3);
    TLSContext context = get(Kind.TLS_CONTEXT, TLSContext.class, "default/api-context").spec();
    assertThat(context.alpn()).containsExactly("h2", "http/1.1");
    assertThat(context.hosts()).containsExactly("*.api.example.com");
  }

  @Test
  void authAndRateLimitServicesWithTheirDefaults() {
    AuthService auth = get(Kind.AUTH_SERVICE, AuthService.class, "default/authentication").spec();
    assertThat(auth.proto()).isEqualTo(AuthService.AuthProtocol.GRPC);
    assertThat(auth.errorStatus()).isEqualTo(503);
    assertThat(auth.pathPrefix()).isEmpty();
    assertThat(auth.includeBody().maxBytes()).isEqualTo(4096);
    RateLimitService rls =
        get(Kind.RATE_LIMIT_SERVICE, RateLimitService.class, "default/ratelimit").spec();
    assertThat(rls.timeoutMs()).isEqualTo(20);
    assertThat(rls.failureModeDeny()).isTrue();
    assertThat(rls.domain()).isNull();
    assertThat(rls.grpc().useResourceExhaustedCode()).isTrue();
  }

  @Test
  void ambassadorModule() {
    AmbassadorConfig config = get(Kind.MODULE, Module.class, "default/ambassador").spec().config();
    assertThat(config.xffNumTrustedHops()).isEqualTo(1);
    assertThat(config.useRemoteAddress()).isFalse();
    assertThat(config.maxRequestHeadersKb()).isEqualTo(96);
    assertThat(config.defaultLabels().get("ambassador").defaults())
        .containsExactly(new LabelSpecifier.RemoteAddress("remote_address"));
    assertThat(config.loadBalancer().policy()).isEqualTo(LoadBalancer.Policy.LEAST_REQUEST);
    assertThat(config.envoyLogType()).isEqualTo(AmbassadorConfig.LogType.JSON);
    assertThat(config.rejectRequestsWithEscapedSlashes()).isFalse();
  }

  @Test
  void filtersOfEachType() {
    OAuth2Filter sso = get(Kind.FILTER, Filter.class, "default/sso").spec().oauth2();
    assertThat(sso.grantType()).isEqualTo(OAuth2Filter.GrantType.AUTHORIZATION_CODE);
    assertThat(sso.accessTokenValidation()).isEqualTo(OAuth2Filter.AccessTokenValidation.JWT);
    assertThat(sso.clientSessionMaxIdle()).isEqualTo(Duration.ofHours(8));
    assertThat(sso.protectedOrigins().get(0).includeSubdomains()).isTrue();
    OAuth2Filter machines = get(Kind.FILTER, Filter.class, "default/machines").spec().oauth2();
    assertThat(machines.clientAuthentication().method())
        .isEqualTo(OAuth2Filter.ClientAuthentication.Method.BODY_PASSWORD);
    JwtFilter jwt = get(Kind.FILTER, Filter.class, "default/jwt").spec().jwt();
    assertThat(jwt.algorithms())
        .containsExactly(JwtFilter.JwsAlgorithm.RS256, JwtFilter.JwsAlgorithm.ES256);
    assertThat(jwt.leewayForExpiresAt()).isEqualTo(Duration.ofMinutes(1));
    assertThat(jwt.leewayForNotBefore()).isEqualTo(Duration.ZERO);
    assertThat(jwt.errorResponse().realm()).isEqualTo("api");
    ApiKeyFilter keys = get(Kind.FILTER, Filter.class, "default/keys").spec().apiKey();
    assertThat(keys.keys())
        .containsExactly(
            new ApiKeyFilter.KeySource("api-keys", null, null),
            new ApiKeyFilter.KeySource(null, "keys.txt", null),
            new ApiKeyFilter.KeySource(null, null, "k-inline"));
    assertThat(keys.keys().get(2).toString()).doesNotContain("k-inline");
    assertThat(
            get(Kind.FILTER, Filter.class, "default/legacy-auth")
                .spec()
                .external()
                .failureModeAllow())
        .isTrue();
  }

  @Test
  void filterPolicyRules() {
    List<FilterPolicy.Rule> rules =
        get(Kind.FILTER_POLICY, FilterPolicy.class, "default/policy").spec().rules();
    assertThat(rules).hasSize(3);
    FilterPolicy.FilterRef keys = rules.get(0).filters().get(1);
    assertThat(keys.onDeny()).isEqualTo(FilterPolicy.Next.CONTINUE);
    assertThat(keys.onAllow()).isEqualTo(FilterPolicy.Next.CONTINUE);
    assertThat(keys.ifRequestHeader().negate()).isFalse();
    assertThat(rules.get(0).filters().get(0).onDeny()).isEqualTo(FilterPolicy.Next.BREAK);
    assertThat(rules.get(1).filters().get(0).arguments()).containsKey("insteadOfRedirect");
    assertThat(rules.get(1).filters().get(1).ifRequestHeader().negate()).isTrue();
    assertThat(rules.get(2).filters()).as("filters: null means none").isEmpty();
  }

  @Test
  void rateLimits() {
    RateLimit limits = get(Kind.RATE_LIMIT, RateLimit.class, "default/backend").spec();
    assertThat(limits.limits()).hasSize(2);
    RateLimit.Limit perOrg = limits.limits().get(0);
    assertThat(perOrg.action()).isEqualTo(RateLimit.Action.ENFORCE);
    assertThat(perOrg.pattern())
        .containsExactly(Map.of("generic_key", "backend"), Map.of("x-org", "*"));
    assertThat(perOrg.burstFactor()).isEqualTo(2);
    assertThat(limits.limits().get(1).action()).isEqualTo(RateLimit.Action.LOG_ONLY);
    assertThat(limits.limits().get(1).unit().seconds()).isEqualTo(86400);
  }
}
