package dev.gatehouse.proxy.routing;

import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.List;

/**
 * What a matched route does, compiled from its Envoy action: forward to a cluster (or one of
 * weighted clusters), redirect, or answer directly.
 */
public sealed interface Action {

  /** Forward upstream. */
  record Forward(
      List<WeightedTarget> targets,
      int totalWeight,
      PathRewrite rewrite,
      HostRewrite hostRewrite,
      Duration timeout,
      Duration idleTimeout,
      RetrySpec retry,
      List<String> mirrors,
      List<HashSpec> hashPolicies,
      List<RateLimitSpec> rateLimits,
      List<String> upgrades)
      implements Action {

    /** The cluster for a value in [0, totalWeight). */
    public WeightedTarget target(int roll) {
      int at = roll;
      for (WeightedTarget target : targets) {
        if (at < target.weight()) {
          return target;
        }
        at -= target.weight();
      }
      return targets.get(targets.size() - 1);
    }
  }

  /** One cluster of a route, with its weight and its own header operations. */
  record WeightedTarget(
      String cluster, int weight, HeaderOps requestHeaders, HeaderOps responseHeaders) {}

  /** A redirect: any part left null keeps the request's own. */
  record Redirect(
      String scheme,
      String host,
      int port,
      String path,
      String prefixRewrite,
      RegexRewrite regexRewrite,
      int status,
      boolean stripQuery)
      implements Action {}

  /** A direct answer. */
  record Direct(int status, String body) implements Action {}

  /** The path rewrite of a forward: a prefix replacement, a regex substitution, or none. */
  record PathRewrite(String prefix, RegexRewrite regex) {
    public static final PathRewrite NONE = new PathRewrite(null, null);
  }

  /**
   * A regex substitution, Envoy's {@code RegexMatchAndSubstitute}: RE2, every match replaced,
   * {@code \1} for a group.
   */
  record RegexRewrite(Pattern pattern, String replacement) {
    /**
     * From Envoy's substitution syntax to RE2/J's: literal {@code $} escaped, {@code \N} to {@code
     * $N}.
     */
    public static RegexRewrite of(Pattern pattern, String substitution) {
      return new RegexRewrite(
          pattern, substitution.replace("$", "\\$").replaceAll("\\\\(\\d)", "\\$$1"));
    }

    public String apply(String input) {
      return pattern.matcher(input).replaceAll(replacement);
    }
  }

  /** Host rewrite: a literal, the upstream's own host ({@code auto}), or none. */
  record HostRewrite(String literal, boolean auto) {
    public static final HostRewrite NONE = new HostRewrite(null, false);
  }
}
