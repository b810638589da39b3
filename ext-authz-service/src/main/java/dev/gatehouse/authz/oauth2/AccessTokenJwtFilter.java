package dev.gatehouse.authz.oauth2;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.authz.jwt.JwtValidatingFilter;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.OAuth2Filter;
import dev.gatehouse.config.auth.OAuth2Filter.AccessTokenValidation;
import dev.gatehouse.config.auth.OAuth2Filter.FilterReference;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code accessTokenJWTFilter}: bearer access tokens are validated by the JWT Filter it names, with
 * its {@code arguments} (a {@code scope}), plus the OAuth2 rule's scope when {@code
 * inheritScopeArgument}, each inherited scope cut to what follows its last {@code /} when {@code
 * stripInheritedScope}. The JWT Filter is looked up when a request is checked, so it may be defined
 * after the OAuth2 Filter; a missing one, or one that is not a JWT Filter, fails the check (500):
 * fail closed.
 */
final class AccessTokenJwtFilter {
  private final String id;
  private final Function<String, Filter> filters;
  private final FilterArguments own;
  private final boolean inherit;
  private final boolean strip;

  private AccessTokenJwtFilter(
      String id,
      Function<String, Filter> filters,
      FilterArguments own,
      boolean inherit,
      boolean strip) {
    this.id = id;
    this.filters = filters;
    this.own = own;
    this.inherit = inherit;
    this.strip = strip;
  }

  /** The reference of {@code spec}, or null when it has none. */
  static AccessTokenJwtFilter of(
      Resource<?> resource, OAuth2Filter spec, Function<String, Filter> filters) {
    FilterReference ref = spec.accessTokenJWTFilter();
    if (ref == null) {
      return null;
    }
    if (spec.accessTokenValidation() == AccessTokenValidation.USERINFO) {
      throw new IllegalArgumentException(
          "accessTokenJWTFilter: given with accessTokenValidation userinfo (expected: jwt or auto)");
    }
    if (Boolean.TRUE.equals(ref.stripInheritedScope())
        && !Boolean.TRUE.equals(ref.inheritScopeArgument())) {
      throw new IllegalArgumentException(
          "accessTokenJWTFilter.stripInheritedScope: true without inheritScopeArgument (expected:"
              + " inheritScopeArgument: true)");
    }
    FilterArguments own;
    try {
      own = FilterArguments.parse(ref.arguments());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("accessTokenJWTFilter.arguments: " + e.getMessage());
    }
    String namespace = ref.namespace() == null ? resource.namespace() : ref.namespace();
    return new AccessTokenJwtFilter(
        namespace + "/" + ref.name(),
        filters,
        own,
        Boolean.TRUE.equals(ref.inheritScopeArgument()),
        Boolean.TRUE.equals(ref.stripInheritedScope()));
  }

  Future<Verdict> check(AuthzRequest request, FilterArguments oauth2Arguments) {
    Filter filter = filters.apply(id);
    if (!(filter instanceof JwtValidatingFilter)) {
      return Future.failedFuture(
          new IllegalStateException(
              "accessTokenJWTFilter "
                  + id
                  + (filter == null ? " is not served" : " is not a JWT Filter")));
    }
    Set<String> scopes = new LinkedHashSet<>(own.scopes());
    if (inherit) {
      for (String scope : oauth2Arguments.scopes()) {
        scopes.add(strip ? scope.substring(scope.lastIndexOf('/') + 1) : scope);
      }
    }
    return filter.check(request, new FilterArguments(scopes, null, own.sameSite()));
  }
}
