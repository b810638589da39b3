package dev.gatehouse.proxy;

import com.google.protobuf.util.JsonFormat;

/**
 * The message types that can appear inside {@code Any} in the xDS edge-proxy takes, for JSON
 * output.
 */
final class TypeRegistryHolder {
  static final JsonFormat.TypeRegistry REGISTRY =
      JsonFormat.TypeRegistry.newBuilder()
          .add(
              io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                  .HttpConnectionManager.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz.getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute
                  .getDescriptor())
          .add(io.envoyproxy.envoy.extensions.filters.http.ratelimit.v3.RateLimit.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                  .getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  .getDescriptor())
          .add(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor())
          .build();

  private TypeRegistryHolder() {}
}
