package dev.gatehouse.authz;

import dev.gatehouse.authz.apikey.ApiKeyCheckFilter;
import dev.gatehouse.authz.apikey.SecretSource;
import dev.gatehouse.authz.jwt.JwksCache;
import dev.gatehouse.authz.jwt.JwtValidatingFilter;
import dev.gatehouse.authz.jwt.TokenRules;
import dev.gatehouse.authz.jwt.TokenVerifier;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.ApiKeyFilter;
import dev.gatehouse.config.auth.JwtFilter;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles Filter resources into runtime {@link Filter}s. A JWT or OAuth2 Filter whose spec did not
 * change keeps its instance across reloads, and so its cached keys and discovery. A Filter that
 * does not compile is left out (the policy then denies what references it) and logged.
 *
 * <p>Called by the configuration source's thread, one load at a time.
 */
public final class FilterRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(FilterRegistry.class);

  private final AuthzRuntime runtime;
  private final SecretSource secrets;
  private final List<FilterFactory> extensions;
  private Map<String, Compiled> previous = Map.of();
  // The filters served now, for filters that refer to others (read at check time).
  private volatile Map<String, Filter> served = Map.of();

  private record Compiled(Record spec, Filter filter) {}

  /** Builds the Filter types this class does not know itself (OAuth2, External). */
  public interface FilterFactory {
    /** The filter for {@code resource}, or null when the type is not this factory's. */
    Filter create(Resource<dev.gatehouse.config.auth.Filter> resource, AuthzRuntime runtime);

    /**
     * As {@link #create(Resource, AuthzRuntime)}, for a filter that may refer to others: {@code
     * filters} finds a served filter by {@code namespace/name} when a request is checked (null when
     * there is none).
     */
    default Filter create(
        Resource<dev.gatehouse.config.auth.Filter> resource,
        AuthzRuntime runtime,
        java.util.function.Function<String, Filter> filters) {
      return create(resource, runtime);
    }
  }

  public FilterRegistry(
      AuthzRuntime runtime, SecretSource secrets, List<FilterFactory> extensions) {
    this.runtime = runtime;
    this.secrets = secrets;
    this.extensions = List.copyOf(extensions);
  }

  /** The compiled filters of {@code config} by {@code namespace/name}. */
  public Map<String, Filter> compile(LoadResult config) {
    Map<String, Compiled> next = new HashMap<>();
    Map<String, Filter> out = new LinkedHashMap<>();
    for (Resource<dev.gatehouse.config.auth.Filter> resource :
        config.ofKind(Kind.FILTER, dev.gatehouse.config.auth.Filter.class)) {
      String id = resource.qualifiedName();
      Record spec = resource.spec();
      Compiled before = previous.get(id);
      Filter filter;
      if (before != null && before.spec().equals(spec) && resource.spec().apiKey() == null) {
        filter = before.filter();
      } else {
        try {
          filter = create(resource);
        } catch (RuntimeException e) {
          // The message names files and fields, never key material.
          LOG.error("{}: {}; rules that use it deny", resource.id(), e.getMessage());
          continue;
        }
      }
      if (filter != null) {
        next.put(id, new Compiled(spec, filter));
        out.put(id, filter);
      }
    }
    previous = next;
    served = Map.copyOf(out);
    return out;
  }

  private Filter create(Resource<dev.gatehouse.config.auth.Filter> resource) {
    dev.gatehouse.config.auth.Filter spec = resource.spec();
    if (spec.jwt() != null) {
      return jwt(resource, spec.jwt());
    }
    if (spec.apiKey() != null) {
      return apiKey(resource, spec.apiKey());
    }
    if (spec.external() != null) {
      return dev.gatehouse.authz.external.ExternalFilters.create(spec.external(), runtime);
    }
    for (FilterFactory factory : extensions) {
      Filter filter = factory.create(resource, runtime, id -> served.get(id));
      if (filter != null) {
        return filter;
      }
    }
    throw new IllegalArgumentException("Filter type " + spec.type() + " is not supported yet");
  }

  private Filter jwt(Resource<?> resource, JwtFilter spec) {
    JwksCache keys =
        new JwksCache(
            runtime.webClient(spec.insecureTLS()),
            spec.jwksURI(),
            runtime.jwks().refreshAfter(),
            spec.maxStale() == null ? runtime.jwks().defaultMaxStale() : spec.maxStale(),
            runtime.jwks().minFetchInterval(),
            runtime.outboundTimeout(),
            runtime.clock());
    TokenVerifier verifier = new TokenVerifier(keys, TokenRules.of(spec), runtime.clock());
    return new JwtValidatingFilter(verifier, spec, resource.name() + "." + resource.namespace());
  }

  private Filter apiKey(Resource<?> resource, ApiKeyFilter spec) {
    List<String> keys = new ArrayList<>();
    for (ApiKeyFilter.KeySource source : spec.keys()) {
      if (source.inlineKey() != null) {
        // A Secret the control plane resolved, or a key written inline.
        keys.add(source.inlineKey().strip());
      } else {
        keys.addAll(secrets.keys(resource.namespace(), source));
      }
    }
    return new ApiKeyCheckFilter(spec.httpHeader(), keys);
  }

  /** A filter that always fails: for tests and placeholders. */
  static Filter failing(String why) {
    return (request, arguments) -> Future.failedFuture(new IllegalStateException(why));
  }
}
