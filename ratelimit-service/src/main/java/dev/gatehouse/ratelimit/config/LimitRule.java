package dev.gatehouse.ratelimit.config;

import java.util.List;
import java.util.Objects;

/**
 * One compiled limit of a descriptor: how many requests per window, counted how.
 *
 * @param name the rule's name for metrics and {@code replaces}; never empty once compiled
 * @param burst token_bucket only: how many requests may pass at once (at least 1)
 * @param shadow counted and reported, never denying (shadow_mode, Edge Stack's LogOnly)
 * @param keyTag what sets this limit's counter apart from the node's other limits: empty for the
 *     first fixed-window limit of a node, so its Redis key is exactly envoyproxy/ratelimit's
 * @param replaces names of limits this one replaces when both match one request
 */
public record LimitRule(
    String name,
    long requestsPerUnit,
    Unit unit,
    int unitMultiplier,
    Algorithm algorithm,
    long burst,
    boolean shadow,
    String keyTag,
    List<String> replaces,
    HeaderActions headers) {

  public LimitRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(keyTag, "keyTag");
    if (requestsPerUnit < 0 || requestsPerUnit > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "requests_per_unit: " + requestsPerUnit + " (expected: 0..4294967295)");
    }
    if (unitMultiplier < 1) {
      throw new IllegalArgumentException(
          "unit_multiplier: " + unitMultiplier + " (expected: >= 1)");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
    }
    replaces = List.copyOf(replaces);
    headers = headers == null ? HeaderActions.NONE : headers;
  }

  /** A plain fixed-window limit, as a request's own {@code limit} override asks for. */
  public static LimitRule fixed(String name, long requestsPerUnit, Unit unit) {
    return new LimitRule(
        name,
        requestsPerUnit,
        unit,
        1,
        Algorithm.FIXED_WINDOW,
        Math.max(1, requestsPerUnit),
        false,
        "",
        List.of(),
        HeaderActions.NONE);
  }

  /** The window length in seconds. */
  public long windowSeconds() {
    return unit.seconds() * unitMultiplier;
  }

  /** The same rule with another key tag. */
  LimitRule withKeyTag(String tag) {
    return new LimitRule(
        name,
        requestsPerUnit,
        unit,
        unitMultiplier,
        algorithm,
        burst,
        shadow,
        tag,
        replaces,
        headers);
  }

  /** The same rule in shadow mode. */
  LimitRule inShadow() {
    return new LimitRule(
        name,
        requestsPerUnit,
        unit,
        unitMultiplier,
        algorithm,
        burst,
        true,
        keyTag,
        replaces,
        headers);
  }
}
