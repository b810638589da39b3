package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.InjectedHeader;
import dev.gatehouse.config.ratelimit.RateLimit;
import dev.gatehouse.config.template.Template;
import java.util.List;
import java.util.Map;

/**
 * Turns Edge Stack {@code RateLimit} resources into descriptor trees: each limit's pattern is a
 * path of descriptor entries ({@code ""} or {@code "*"} matches any value; an entry with several
 * pairs is several paths, one per pair), its rate and unit a limit at each path's end. {@code
 * LogOnly} is shadow mode; {@code burstFactor} makes the limit a token bucket of {@code rate *
 * burstFactor} requests, refilled at {@code rate} per unit.
 */
final class EdgeStackLimits {
  private EdgeStackLimits() {}

  /** Adds the resource's limits to the tree of its domain. */
  static void addTo(NodeDraft domainRoot, Resource<RateLimit> resource) {
    List<RateLimit.Limit> limits = resource.spec().limits();
    for (int i = 0; i < limits.size(); i++) {
      RateLimit.Limit limit = limits.get(i);
      String name =
          limit.name() != null && !limit.name().isEmpty()
              ? limit.name()
              // Edge Stack's default name: $name.$namespace-$idx
              : resource.name() + "." + resource.namespace() + "-" + i;
      LimitRule rule = rule(name, limit);
      // An entry with several pairs is a choice: the limit applies on each combination's path.
      for (List<Map.Entry<String, String>> path : limit.patternPaths()) {
        NodeDraft node = domainRoot;
        for (Map.Entry<String, String> pair : path) {
          String value = pair.getValue();
          boolean any = value.isEmpty() || value.equals("*");
          node = node.child(NodeDraft.compositeKey(pair.getKey(), any ? null : value));
        }
        node.limits.add(rule);
      }
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
            limit.errorResponse() == null || limit.errorResponse().bodyTemplate() == null
                ? null
                : Template.compile(limit.errorResponse().bodyTemplate()));
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

  /** The headers with their values compiled (edge-config has checked that they compile). */
  private static List<Map.Entry<String, Template>> pairs(List<InjectedHeader> headers) {
    return headers == null
        ? List.of()
        : headers.stream().map(h -> Map.entry(h.name(), Template.compile(h.value()))).toList();
  }
}
