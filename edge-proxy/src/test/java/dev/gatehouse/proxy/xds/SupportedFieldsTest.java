package dev.gatehouse.proxy.xds;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.CheckSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SupportedFieldsTest {
  private final SupportedFields policy =
      new SupportedFields(
          Set.of(
              "envoy.config.route.v3.Route.name",
              "envoy.config.route.v3.Route.match",
              "envoy.config.route.v3.Route.route",
              "envoy.config.route.v3.Route.typed_per_filter_config",
              "envoy.config.route.v3.RouteMatch.prefix",
              "envoy.config.route.v3.RouteAction.cluster",
              "envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute.disabled"),
          Map.of(SupportedFields.typeUrl(ExtAuthzPerRoute.class), ExtAuthzPerRoute.class));

  private static Route.Builder route() {
    return Route.newBuilder()
        .setName("r")
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setCluster("c"));
  }

  @Test
  void acceptsWhatIsOnTheListAtEveryDepth() {
    Route route =
        route()
            .putTypedPerFilterConfig(
                "envoy.filters.http.ext_authz",
                Any.pack(ExtAuthzPerRoute.newBuilder().setDisabled(true).build()))
            .build();

    assertThatCode(() -> policy.check(route, "route r")).doesNotThrowAnyException();
  }

  @Test
  void namesTheFirstUnsupportedFieldWithItsPath() {
    Route route = route().setMatch(RouteMatch.newBuilder().setPath("/exact")).build();

    assertThatThrownBy(() -> policy.check(route, "route r"))
        .isInstanceOf(XdsException.class)
        .hasMessage(
            "route r.match.path: field envoy.config.route.v3.RouteMatch.path is not supported by edge-proxy");
  }

  @Test
  void looksInsideAnyAndRefusesUnknownTypes() {
    Route unknownField =
        route()
            .putTypedPerFilterConfig(
                "envoy.filters.http.ext_authz",
                Any.pack(
                    ExtAuthzPerRoute.newBuilder()
                        .setCheckSettings(CheckSettings.newBuilder().putContextExtensions("a", "b"))
                        .build()))
            .build();
    Route unknownType =
        route()
            .putTypedPerFilterConfig(
                "other", Any.pack(RouteMatch.newBuilder().setPrefix("/").build()))
            .build();

    assertThatThrownBy(() -> policy.check(unknownField, "route r"))
        .hasMessage(
            "route r.typed_per_filter_config[envoy.filters.http.ext_authz]<type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute>.check_settings:"
                + " field envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute.check_settings is not supported by edge-proxy");
    assertThatThrownBy(() -> policy.check(unknownType, "route r"))
        .hasMessage(
            "route r.typed_per_filter_config[other]: type type.googleapis.com/envoy.config.route.v3.RouteMatch is not supported by edge-proxy");
  }
}
