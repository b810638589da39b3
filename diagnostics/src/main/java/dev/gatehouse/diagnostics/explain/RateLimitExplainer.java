package dev.gatehouse.diagnostics.explain;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.ratelimit.RateLimit;
import dev.gatehouse.proxy.filters.RateLimitSettings;
import dev.gatehouse.proxy.routing.Action;
import dev.gatehouse.proxy.routing.RateLimitSpec;
import dev.gatehouse.proxy.routing.RouteRequest;
import dev.gatehouse.ratelimit.config.ConfigAssembler;
import dev.gatehouse.ratelimit.config.DomainConfig;
import dev.gatehouse.ratelimit.config.LimitRule;
import dev.gatehouse.ratelimit.config.RateLimitConfig;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which descriptors the proxy would send for a request (edge-proxy's own descriptor code) and which
 * limits of the RateLimit resources they hit (ratelimit-service's descriptor tree). Counters are
 * not read: whether a request is over its limit right now is Redis's to say.
 */
final class RateLimitExplainer {
  private final LoadResult loaded;

  RateLimitExplainer(LoadResult loaded) {
    this.loaded = loaded;
  }

  /**
   * For the diag page's route table: each descriptor that does not depend on the request, with the
   * limits it hits; the others are named as depending on the request.
   */
  JsonArray explainRequestFree(RateLimitSettings settings, Action action) {
    JsonArray out = new JsonArray();
    if (settings == null || !(action instanceof Action.Forward forward)) {
      return out;
    }
    DomainConfig domain = config().domain(settings.domain());
    String target = forward.targets().isEmpty() ? "" : forward.targets().get(0).cluster();
    for (RateLimitSpec spec : forward.rateLimits()) {
      boolean requestFree =
          spec.actions().stream()
              .allMatch(
                  a ->
                      a instanceof RateLimitSpec.GenericKey
                          || a instanceof RateLimitSpec.DestinationCluster
                          || a instanceof RateLimitSpec.SourceCluster);
      if (!requestFree) {
        out.add("a descriptor that depends on the request (see explain)");
        continue;
      }
      List<Map.Entry<String, String>> entries =
          spec.descriptor(
              new RouteRequest("GET", "", "/", io.vertx.core.MultiMap.caseInsensitiveMultiMap()),
              "",
              target,
              Explainer.SOURCE_CLUSTER);
      DomainConfig.Match match = match(domain, entries);
      out.add(
          entries.stream().map(e -> e.getKey() + "=" + e.getValue()).toList()
              + ": "
              + (match == null ? "no limit" : limits(match).getList()));
    }
    return out;
  }

  private RateLimitConfig config() {
    ConfigAssembler assembler = new ConfigAssembler();
    for (Resource<RateLimit> resource : loaded.ofKind(Kind.RATE_LIMIT, RateLimit.class)) {
      assembler.add(resource);
    }
    return assembler.build(1);
  }

  private static DomainConfig.Match match(
      DomainConfig domain, List<Map.Entry<String, String>> entries) {
    if (domain == null || entries == null || entries.isEmpty()) {
      return null;
    }
    return domain.match(
        entries.stream()
            .map(
                e ->
                    RateLimitDescriptor.Entry.newBuilder()
                        .setKey(e.getKey())
                        .setValue(e.getValue())
                        .build())
            .toList());
  }

  private static JsonArray limits(DomainConfig.Match match) {
    JsonArray limits = new JsonArray();
    for (LimitRule rule : match.node().limits()) {
      limits.add(
          rule.name()
              + ": "
              + rule.requestsPerUnit()
              + " per "
              + (rule.unitMultiplier() == 1 ? "" : rule.unitMultiplier() + " ")
              + rule.unit().name().toLowerCase(Locale.ROOT)
              + " ("
              + rule.algorithm().name().toLowerCase(Locale.ROOT)
              + (rule.shadow() ? ", shadow" : "")
              + ")");
    }
    if (match.node().unlimited()) {
      limits.add("unlimited");
    }
    return limits;
  }

  JsonObject explain(
      RateLimitSettings settings,
      Action action,
      RouteRequest request,
      String clientAddress,
      String targetCluster) {
    if (settings == null) {
      return new JsonObject()
          .put("status", "none")
          .put("note", "no RateLimitService is configured");
    }
    if (!(action instanceof Action.Forward forward) || forward.rateLimits().isEmpty()) {
      return new JsonObject()
          .put("status", "none")
          .put("domain", settings.domain())
          .put("note", "the route has no rate-limit labels");
    }
    DomainConfig domain = config().domain(settings.domain());
    JsonArray descriptors = new JsonArray();
    for (RateLimitSpec spec : forward.rateLimits()) {
      List<Map.Entry<String, String>> entries =
          spec.descriptor(request, clientAddress, targetCluster, Explainer.SOURCE_CLUSTER);
      if (entries == null || entries.isEmpty()) {
        descriptors.add(
            new JsonObject()
                .put("sent", false)
                .put("note", "not sent: an action cannot produce its entry (a missing header)"));
        continue;
      }
      JsonArray pairs = new JsonArray();
      entries.forEach(e -> pairs.add(e.getKey() + "=" + e.getValue()));
      JsonObject descriptor = new JsonObject().put("sent", true).put("entries", pairs);
      DomainConfig.Match match = match(domain, entries);
      if (match == null) {
        descriptor.put("limits", new JsonArray()).put("note", "no limit for this descriptor");
      } else {
        descriptor.put("rule", match.ruleKey()).put("limits", limits(match));
      }
      descriptors.add(descriptor);
    }
    return new JsonObject()
        .put("status", "limited")
        .put("domain", settings.domain())
        .put("descriptors", descriptors)
        .put(
            "note",
            "limits from the RateLimit resources; a ratelimit-service may also load"
                + " envoyproxy/ratelimit files of its own, which are not shown");
  }
}
