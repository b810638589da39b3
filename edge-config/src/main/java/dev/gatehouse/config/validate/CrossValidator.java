package dev.gatehouse.config.validate;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.Filter;
import dev.gatehouse.config.auth.FilterPolicy;
import dev.gatehouse.config.auth.OAuth2Filter;
import dev.gatehouse.config.host.Host;
import dev.gatehouse.config.mapping.Mapping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that need more than one resource: references to Filters and TLSContexts, hostnames claimed
 * twice, and the kinds of which only one may be active. A resource that fails is moved to the
 * rejected list with its error; the first of two rivals (in load order) wins.
 */
public final class CrossValidator {
  private final List<Resource<?>> resources;
  private final List<ConfigError> problems;
  private final List<LoadResult.Rejected> rejected;
  // By identity: a Resource's own hashCode walks its whole spec, and this set is asked about
  // every resource several times per load.
  private final Set<Resource<?>> failed = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<String> rejectedIds = new java.util.HashSet<>();
  private Map<Kind, List<Resource<?>>> byKind;

  private CrossValidator(LoadResult loaded) {
    this.resources = loaded.resources();
    this.problems = new ArrayList<>(loaded.problems());
    this.rejected = new ArrayList<>(loaded.rejected());
    loaded.rejected().forEach(r -> rejectedIds.add(r.id()));
  }

  /** The load result with cross-resource errors reported and their resources rejected. */
  public static LoadResult validate(LoadResult loaded) {
    CrossValidator validator = new CrossValidator(loaded);
    validator.onlyOneAmbassadorModule();
    validator.onlyOne(Kind.AUTH_SERVICE);
    validator.onlyOne(Kind.RATE_LIMIT_SERVICE);
    validator.uniqueHostnames();
    validator.tlsContextReferences();
    validator.filterReferences();
    List<Resource<?>> kept =
        validator.failed.isEmpty()
            ? loaded.resources()
            : loaded.resources().stream().filter(r -> !validator.failed.contains(r)).toList();
    return new LoadResult(kept, validator.rejected, validator.problems, loaded.ignored());
  }

  private void onlyOneAmbassadorModule() {
    Resource<?> first = null;
    for (Resource<?> module : ofKind(Kind.MODULE)) {
      if (!module.name().equals("ambassador")) {
        reject(
            module,
            module.source(),
            "metadata.name: \""
                + module.name()
                + "\" (expected: ambassador, the only Module Gatehouse reads)");
      } else if (first != null) {
        reject(
            module,
            module.source(),
            "a second ambassador Module (the first is "
                + first.id()
                + " at "
                + first.source()
                + ")");
      } else {
        first = module;
      }
    }
  }

  private void onlyOne(Kind kind) {
    Resource<?> first = null;
    for (Resource<?> resource : ofKind(kind)) {
      if (first == null) {
        first = resource;
      } else {
        reject(
            resource,
            resource.source(),
            "only one "
                + kind
                + " can be active (the first is "
                + first.id()
                + " at "
                + first.source()
                + ")");
      }
    }
  }

  private void uniqueHostnames() {
    Map<String, Resource<?>> claimed = new HashMap<>();
    for (Resource<?> resource : ofKind(Kind.HOST)) {
      String hostname = ((Host) resource.spec()).hostname().toLowerCase(java.util.Locale.ROOT);
      Resource<?> owner = claimed.putIfAbsent(hostname, resource);
      if (owner != null) {
        reject(
            resource,
            resource.sourceOf("spec.hostname"),
            "spec.hostname: \""
                + hostname
                + "\" is already claimed by "
                + owner.id()
                + " ("
                + owner.source()
                + ")");
      }
    }
  }

  private void tlsContextReferences() {
    Set<String> contexts = new java.util.HashSet<>();
    ofKind(Kind.TLS_CONTEXT).forEach(c -> contexts.add(c.name()));
    for (Resource<?> resource : ofKind(Kind.MAPPING)) {
      String tls = ((Mapping) resource.spec()).tls();
      if (tls != null && !tls.equals("true") && !tls.equals("false") && !contexts.contains(tls)) {
        reject(
            resource,
            resource.sourceOf("spec.tls"),
            "spec.tls: \"" + tls + "\" (expected: the name of an existing TLSContext)");
      }
    }
    for (Resource<?> resource : ofKind(Kind.HOST)) {
      Host.LocalReference ref = ((Host) resource.spec()).tlsContext();
      if (ref != null && !contexts.contains(ref.name())) {
        reject(
            resource,
            resource.sourceOf("spec.tlsContext.name"),
            "spec.tlsContext.name: \""
                + ref.name()
                + "\" (expected: the name of an existing TLSContext)");
      }
    }
  }

  private void filterReferences() {
    Map<String, Filter> filters = new HashMap<>();
    for (Resource<?> filter : ofKind(Kind.FILTER)) {
      filters.put(filter.qualifiedName(), (Filter) filter.spec());
    }
    for (Resource<?> resource : ofKind(Kind.FILTER_POLICY)) {
      List<FilterPolicy.Rule> rules = ((FilterPolicy) resource.spec()).rules();
      for (int r = 0; r < rules.size(); r++) {
        List<FilterPolicy.FilterRef> refs = rules.get(r).filters();
        for (int f = 0; f < refs.size(); f++) {
          FilterPolicy.FilterRef ref = refs.get(f);
          String path = "spec.rules[" + r + "].filters[" + f + "]";
          checkFilter(resource, path, ref.name(), ref.namespace(), filters, null);
        }
      }
    }
    for (Resource<?> resource : ofKind(Kind.FILTER)) {
      OAuth2Filter oauth2 = ((Filter) resource.spec()).oauth2();
      if (oauth2 != null && oauth2.accessTokenJWTFilter() != null) {
        OAuth2Filter.FilterReference ref = oauth2.accessTokenJWTFilter();
        checkFilter(
            resource,
            "spec.OAuth2.accessTokenJWTFilter",
            ref.name(),
            ref.namespace(),
            filters,
            "JWT");
      }
    }
  }

  private void checkFilter(
      Resource<?> resource,
      String path,
      String name,
      String namespace,
      Map<String, Filter> filters,
      String requiredType) {
    String qualified = (namespace == null ? resource.namespace() : namespace) + "/" + name;
    Filter filter = filters.get(qualified);
    if (filter == null) {
      String why =
          rejectedIds.contains("Filter " + qualified)
              ? " was rejected (see its error)"
              : " does not exist";
      reject(resource, resource.sourceOf(path), path + ": Filter " + qualified + why);
    } else if (requiredType != null && !filter.type().equals(requiredType)) {
      reject(
          resource,
          resource.sourceOf(path),
          path
              + ": Filter "
              + qualified
              + " is of type "
              + filter.type()
              + " (expected: a "
              + requiredType
              + " filter)");
    }
  }

  private List<Resource<?>> ofKind(Kind kind) {
    if (byKind == null) {
      // One pass over every resource, then each check reads only its kinds.
      byKind = new EnumMap<>(Kind.class);
      for (Resource<?> resource : resources) {
        byKind.computeIfAbsent(resource.kind(), k -> new ArrayList<>()).add(resource);
      }
    }
    List<Resource<?>> all = byKind.getOrDefault(kind, List.of());
    if (failed.isEmpty()) {
      return all;
    }
    List<Resource<?>> out = new ArrayList<>(all.size());
    for (Resource<?> resource : all) {
      if (!failed.contains(resource)) {
        out.add(resource);
      }
    }
    return out;
  }

  private void reject(Resource<?> resource, dev.gatehouse.config.Source at, String message) {
    problems.add(ConfigError.error(at, resource.id(), message));
    if (failed.add(resource)) {
      rejected.add(
          new LoadResult.Rejected(resource.kind().yamlName(), resource.id(), resource.source()));
      rejectedIds.add(resource.id());
    }
  }
}
