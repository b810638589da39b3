package dev.gatehouse.proxy.routing;

import java.util.Map;

/**
 * What a route, virtual host or both say to the HTTP filters through {@code
 * typed_per_filter_config}: ext_authz off or with context extensions, and the CORS policy. As in
 * Envoy, the most specific configuration of a filter replaces the others whole.
 */
public record FilterOverrides(Authz authz, CorsSpec cors) {
  public static final FilterOverrides NONE = new FilterOverrides(null, null);

  /** ext_authz per route: disabled, or checked with these context extensions. */
  public record Authz(boolean disabled, Map<String, String> contextExtensions) {}

  /** This level's overrides, falling back per filter to the less specific level's. */
  public FilterOverrides over(FilterOverrides general) {
    return new FilterOverrides(
        authz != null ? authz : general.authz, cors != null ? cors : general.cors);
  }

  public boolean authzDisabled() {
    return authz != null && authz.disabled();
  }

  public Map<String, String> contextExtensions() {
    return authz == null ? Map.of() : authz.contextExtensions();
  }
}
