package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.Required;
import dev.gatehouse.config.yaml.SnakeCase;
import java.util.List;

/**
 * The envoyproxy/ratelimit configuration file as written, for the strict binder: its fields and
 * nothing else, plus Gatehouse's extensions (marked below), which that project would reject.
 */
final class EnvoyYaml {
  private EnvoyYaml() {}

  /** One file: one domain. */
  @SnakeCase
  record File(@Required String domain, List<Descriptor> descriptors) {}

  /**
   * One descriptor level.
   *
   * @param rateLimits Gatehouse extension: more limits on the same descriptor
   */
  @SnakeCase
  record Descriptor(
      @Required String key,
      String value,
      RateLimit rateLimit,
      List<RateLimit> rateLimits,
      @Default("false") Boolean shadowMode,
      @Default("false") Boolean detailedMetric,
      List<Descriptor> descriptors) {}

  /**
   * A limit.
   *
   * @param unitMultiplier Gatehouse extension: a window of this many units
   * @param algorithm Gatehouse extension, fixed_window by default
   * @param burst Gatehouse extension, token_bucket only: requests that may pass at once
   */
  @SnakeCase
  record RateLimit(
      Unit unit,
      @Range(min = 0, max = 4294967295L) Long requestsPerUnit,
      @Default("false") Boolean unlimited,
      String name,
      List<Replace> replaces,
      @Default("1") @Range(min = 1, max = 1_000_000) Integer unitMultiplier,
      Algorithm algorithm,
      @Range(min = 1, max = 4294967295L) Long burst) {}

  /** A limit this one replaces. */
  @SnakeCase
  record Replace(String name) {}
}
