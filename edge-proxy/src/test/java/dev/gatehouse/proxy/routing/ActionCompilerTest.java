package dev.gatehouse.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.gatehouse.proxy.xds.XdsException;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.RateLimit;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.CheckSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionCompilerTest {
  private static Route.Builder route(RouteAction.Builder action) {
    return Route.newBuilder()
        .setName("r")
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(action);
  }

  private static Action.Forward forward(RouteAction.Builder action) {
    return (Action.Forward) ActionCompiler.compile(route(action).build(), "route r");
  }

  @Test
  void weightedClustersSplitTheirTotalInOrder() {
    Action.Forward forward =
        forward(
            RouteAction.newBuilder()
                .setWeightedClusters(
                    WeightedCluster.newBuilder()
                        .addClusters(
                            WeightedCluster.ClusterWeight.newBuilder()
                                .setName("stable")
                                .setWeight(UInt32Value.of(90)))
                        .addClusters(
                            WeightedCluster.ClusterWeight.newBuilder()
                                .setName("canary")
                                .setWeight(UInt32Value.of(10)))));

    assertThat(forward.totalWeight()).isEqualTo(100);
    assertThat(forward.target(0).cluster()).isEqualTo("stable");
    assertThat(forward.target(89).cluster()).isEqualTo("stable");
    assertThat(forward.target(90).cluster()).isEqualTo("canary");
    assertThat(forward.timeout())
        .as("Envoy's default route timeout")
        .isEqualTo(java.time.Duration.ofSeconds(15));
  }

  @Test
  void regexRewriteUsesEnvoysBackslashGroups() {
    Action.Forward forward =
        forward(
            RouteAction.newBuilder()
                .setCluster("c")
                .setRegexRewrite(
                    RegexMatchAndSubstitute.newBuilder()
                        .setPattern(RegexMatcher.newBuilder().setRegex("^/v2/(.*)$"))
                        .setSubstitution("/\\1?cost=$5")));

    assertThat(forward.rewrite().regex().apply("/v2/quote/42")).isEqualTo("/quote/42?cost=$5");
  }

  @Test
  void redirectsAndDirectResponses() {
    Action.Redirect redirect =
        (Action.Redirect)
            ActionCompiler.compile(
                Route.newBuilder()
                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                    .setRedirect(
                        RedirectAction.newBuilder()
                            .setHttpsRedirect(true)
                            .setHostRedirect("www.example.com")
                            .setPrefixRewrite("/new/")
                            .setResponseCode(
                                RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT))
                    .build(),
                "route");

    assertThat(redirect)
        .isEqualTo(
            new Action.Redirect("https", "www.example.com", 0, null, "/new/", null, 308, false));
  }

  @Test
  void retryPolicyConditionsAndDefaults() {
    RetrySpec retry =
        forward(
                RouteAction.newBuilder()
                    .setCluster("c")
                    .setRetryPolicy(
                        RetryPolicy.newBuilder()
                            .setRetryOn("gateway-error,retriable-status-codes")
                            .addRetriableStatusCodes(429)
                            .setPerTryTimeout(Duration.newBuilder().setNanos(500_000_000))))
            .retry();

    assertThat(retry.numRetries()).isEqualTo(1);
    assertThat(retry.perTryTimeout()).isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(retry.retriesStatus(503)).isTrue();
    assertThat(retry.retriesStatus(500)).as("500 is not a gateway error").isFalse();
    assertThat(retry.retriesStatus(429)).isTrue();
    assertThat(retry.retriesFailure(true, false))
        .as("gateway-error covers connect failures")
        .isTrue();
    assertThat(retry.backoff(1))
        .isBetween(java.time.Duration.ZERO, java.time.Duration.ofMillis(25));
    assertThat(retry.backoff(3))
        .isBetween(java.time.Duration.ZERO, java.time.Duration.ofMillis(175));
  }

  @Test
  void anUnknownRetryConditionIsRefused() {
    assertThatThrownBy(
            () ->
                forward(
                    RouteAction.newBuilder()
                        .setCluster("c")
                        .setRetryPolicy(
                            RetryPolicy.newBuilder().setRetryOn("5xx,envoy-ratelimited"))))
        .isInstanceOf(XdsException.class)
        .hasMessage(
            "route r.retry_policy.retry_on: \"envoy-ratelimited\" is not supported by edge-proxy");
  }

  @Test
  void rateLimitActionsCompileInOrder() {
    Action.Forward forward =
        forward(
            RouteAction.newBuilder()
                .setCluster("c")
                .addRateLimits(
                    RateLimit.newBuilder()
                        .addActions(
                            RateLimit.Action.newBuilder()
                                .setGenericKey(
                                    RateLimit.Action.GenericKey.newBuilder()
                                        .setDescriptorValue("backend")))
                        .addActions(
                            RateLimit.Action.newBuilder()
                                .setRequestHeaders(
                                    RateLimit.Action.RequestHeaders.newBuilder()
                                        .setHeaderName("X-Org")
                                        .setDescriptorKey("org")))
                        .addActions(
                            RateLimit.Action.newBuilder()
                                .setRemoteAddress(
                                    RateLimit.Action.RemoteAddress.getDefaultInstance()))));

    assertThat(forward.rateLimits().get(0).actions())
        .containsExactly(
            new RateLimitSpec.GenericKey("generic_key", "backend"),
            new RateLimitSpec.RequestHeader("x-org", "org"),
            new RateLimitSpec.RemoteAddress());
  }

  @Test
  void aRoutesExtAuthzConfigReplacesItsHostsWhole() {
    FilterOverrides host =
        ActionCompiler.overrides(
            Map.of(
                ActionCompiler.EXT_AUTHZ,
                Any.pack(ExtAuthzPerRoute.newBuilder().setDisabled(true).build())),
            "vh");
    Route withExtensions =
        route(RouteAction.newBuilder().setCluster("c"))
            .putTypedPerFilterConfig(
                ActionCompiler.EXT_AUTHZ,
                Any.pack(
                    ExtAuthzPerRoute.newBuilder()
                        .setCheckSettings(
                            CheckSettings.newBuilder().putContextExtensions("policy", "admins"))
                        .build()))
            .build();

    CompiledRoute inherits =
        new CompiledRoute(route(RouteAction.newBuilder().setCluster("c")).build(), host, "r");
    CompiledRoute overrides = new CompiledRoute(withExtensions, host, "r");

    assertThat(inherits.overrides().authzDisabled()).isTrue();
    assertThat(overrides.overrides().authzDisabled()).isFalse();
    assertThat(overrides.overrides().contextExtensions()).containsEntry("policy", "admins");
  }

  @Test
  void headerOperationsRemoveThenAddWithEnvoysAppendActions() {
    HeaderOps ops =
        HeaderOps.compile(
            List.of(
                HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey("x-append").setValue("2"))
                    .build(),
                HeaderValueOption.newBuilder()
                    .setHeader(HeaderValue.newBuilder().setKey("x-set").setValue("new"))
                    .setAppend(BoolValue.of(false))
                    .build(),
                HeaderValueOption.newBuilder()
                    .setHeader(
                        HeaderValue.newBuilder()
                            .setKey("x-client")
                            .setValue(
                                "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% via %REQ(x-via)% 100%%"))
                    .setAppendAction(HeaderValueOption.HeaderAppendAction.ADD_IF_ABSENT)
                    .build()),
            List.of("x-secret"),
            "route r");
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("x-append", "1")
            .add("x-set", "old")
            .add("x-secret", "s")
            .add("x-via", "lb");

    ops.apply(headers, new FixedContext());

    assertThat(headers.getAll("x-append")).containsExactly("1", "2");
    assertThat(headers.getAll("x-set")).containsExactly("new");
    assertThat(headers.get("x-client")).isEqualTo("203.0.113.9 via lb 100%");
    assertThat(headers.contains("x-secret")).isFalse();
  }

  @Test
  void anUnknownHeaderCommandIsRefused() {
    assertThatThrownBy(() -> HeaderTemplate.compile("%START_TIME%", "route r header x"))
        .hasMessage(
            "route r header x: \"%START_TIME%\" (expected: %DOWNSTREAM_REMOTE_ADDRESS%,"
                + " %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%, %PROTOCOL%, %REQ(header)% or %% for"
                + " a literal percent sign; %START_TIME% is not supported)");
  }

  private static final class FixedContext implements HeaderTemplate.Context {
    @Override
    public String remoteAddress() {
      return "203.0.113.9";
    }

    @Override
    public int remotePort() {
      return 40000;
    }

    @Override
    public String protocol() {
      return "HTTP/1.1";
    }

    @Override
    public String requestHeader(String name) {
      return name.equals("x-via") ? "lb" : null;
    }
  }
}
