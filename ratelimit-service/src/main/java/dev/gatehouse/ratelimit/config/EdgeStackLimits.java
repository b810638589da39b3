package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.InjectedHeader;
import dev.gatehouse.config.ratelimit.RateLimit;
import java.util.List;
import java.util.Map;

/**
 * Turns Edge Stack {@code RateLimit} resources into descriptor trees: each limit's pattern is a
 * path of descriptor entries ({@code ""} or {@code "*"} matches any value), its rate and unit a
 * limit at the path's end. {@code LogOnly} is shadow mode; {@code burstFactor} makes the limit a
 * token bucket of {@code rate * burstFactor} requests, refilled at {@code rate} per unit.
 */
final class EdgeStackLimits {
  private EdgeStackLimits() {}

  /** Adds the resource's limits to the tree of its domain. */
  static void addTo(NodeDraft domainRoot, Resource<RateLimit> resource) {
    List<RateLimit.Limit> limits = resource.spec().limits();
    for (int i = 0; i < limits.size(); i++) {
      RateLimit.Limit limit = limits.get(i);
      NodeDraft node = domainRoot;
      for (Map<String, String> entry : limit.pattern()) {
        Map.Entry<String, String> pair = entry.entrySet().iterator().next();
        String value = pair.getValue();
        boolean any = value == null || value.isEmpty() || value.equals("*");
        node = node.child(NodeDraft.compositeKey(pair.getKey(), any ? null : value));
      }
      String name =
          limit.name() != null && !limit.name().isEmpty()
              ? limit.name()
              // Edge Stack's default name: $name.$namespace-$idx
              : resource.name() + "." + resource.namespace() + "-" + i;
      node.limits.add(rule(name, limit));
    }
  }

  private static LimitRule rule(String name, RateLimit.Limit limit) {
    Algorithm algorithm;
    if (limit.algorithm() != null) {
      algorithm = Algorithm.valueOf(limit.algorithm().name());
    } else {
      algorithm = limit.burstFactor() != null ? Algorithm.TOKEN_BUCKET : Algorithm.FIXED_WINDOW;
    }
    long burst =
        Math.max(1, limit.rate() * (limit.burstFactor() == null ? 1 : limit.burstFactor()));
    HeaderActions headers =
        new HeaderActions(
            pairs(limit.injectRequestHeaders()),
            pairs(limit.injectResponseHeaders()),
            limit.errorResponse() == null ? List.of() : pairs(limit.errorResponse().headers()),
            limit.errorResponse() == null ? null : limit.errorResponse().bodyTemplate());
    return new LimitRule(
        name,
        limit.rate(),
        Unit.valueOf(limit.unit().name()),
        limit.unitMultiplier(),
        algorithm,
        burst,
        limit.action() == RateLimit.Action.LOG_ONLY,
        "",
        List.of(),
        headers);
  }

  private static List<Map.Entry<String, String>> pairs(List<InjectedHeader> headers) {
    return headers == null
        ? List.of()
        : headers.stream().map(h -> Map.entry(h.name(), h.value())).toList();
  }
}
