package dev.gatehouse.ratelimit.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's Prometheus metrics. Per-rule counters are labelled by the configured rule path
 * (e.g. {@code edge.remote_address}), which the configuration bounds; with {@code detailed_metric}
 * the path holds request values, so the number of rule labels is capped and the rest are counted
 * under {@value #OVERFLOW}.
 */
public final class RateLimitMetrics {
  /** The rule label of everything past the cap. */
  public static final String OVERFLOW = "_overflow";

  /** What a rule's evaluation came to. */
  public enum Outcome {
    WITHIN_LIMIT,
    NEAR_LIMIT,
    OVER_LIMIT,
    SHADOW_MODE
  }

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final int maxRules;
  private final ConcurrentHashMap<String, RuleCounters> rules = new ConcurrentHashMap<>();
  private final Timer storeLatency;
  private final Counter storeErrors;
  private final Counter storeTimeouts;
  private final Counter breakerRejections;
  private final Counter cacheDenials;
  private final Counter configLoads;
  private final Counter configErrors;
  private final AtomicLong configVersion = new AtomicLong();
  private final AtomicLong breakerOpen = new AtomicLong();

  /** Counters of one rule. */
  private record RuleCounters(
      Counter hits, Counter overLimit, Counter nearLimit, Counter withinLimit, Counter shadow) {}

  public RateLimitMetrics(int maxRules) {
    this.maxRules = maxRules;
    storeLatency =
        Timer.builder("gatehouse_ratelimit_store_latency")
            .description("Time of a store call, one per request that reaches the store")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(0).plusNanos(50_000))
            .maximumExpectedValue(Duration.ofMillis(100))
            .register(registry);
    storeErrors = counter("gatehouse_ratelimit_store_errors", "Store calls that failed");
    storeTimeouts =
        counter(
            "gatehouse_ratelimit_store_timeouts", "Store calls that took longer than the budget");
    breakerRejections =
        counter(
            "gatehouse_ratelimit_store_breaker_rejections",
            "Requests answered by the failure mode without a store call: the breaker is open");
    cacheDenials =
        counter(
            "gatehouse_ratelimit_local_cache_denials",
            "Requests denied by the local over-limit cache, without a store call");
    configLoads = counter("gatehouse_ratelimit_config_loads", "Configurations applied");
    configErrors =
        counter("gatehouse_ratelimit_config_errors", "Errors found in configuration loads");
    registry.gauge("gatehouse_ratelimit_config_version", configVersion);
    registry.gauge("gatehouse_ratelimit_store_breaker_open", breakerOpen);
  }

  private Counter counter(String name, String help) {
    return Counter.builder(name).description(help).register(registry);
  }

  /** Counts one rule's evaluation of a request that counted {@code hits}. */
  public void rule(String ruleKey, long hits, Outcome outcome) {
    RuleCounters counters = rules.get(ruleKey);
    if (counters == null) {
      String label = rules.size() < maxRules ? ruleKey : OVERFLOW;
      counters = rules.computeIfAbsent(label, this::ruleCounters);
    }
    counters.hits.increment(hits);
    switch (outcome) {
      case OVER_LIMIT -> counters.overLimit.increment(hits);
      case NEAR_LIMIT -> {
        counters.nearLimit.increment(hits);
        counters.withinLimit.increment(hits);
      }
      case WITHIN_LIMIT -> counters.withinLimit.increment(hits);
      case SHADOW_MODE -> {
        counters.shadow.increment(hits);
        counters.overLimit.increment(hits);
      }
    }
  }

  private RuleCounters ruleCounters(String rule) {
    return new RuleCounters(
        ruleCounter("gatehouse_ratelimit_hits", "Hits counted against a rule", rule),
        ruleCounter("gatehouse_ratelimit_over_limit", "Hits over a rule's limit", rule),
        ruleCounter("gatehouse_ratelimit_near_limit", "Hits above 80% of a rule's limit", rule),
        ruleCounter("gatehouse_ratelimit_within_limit", "Hits within a rule's limit", rule),
        ruleCounter(
            "gatehouse_ratelimit_shadow_mode",
            "Hits over a shadow rule's limit, let through",
            rule));
  }

  private Counter ruleCounter(String name, String help, String rule) {
    return Counter.builder(name).description(help).tag("rule", rule).register(registry);
  }

  public void storeCall(long nanos) {
    storeLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void storeError(boolean timeout) {
    (timeout ? storeTimeouts : storeErrors).increment();
  }

  public void breakerRejection() {
    breakerRejections.increment();
  }

  public void breakerOpen(boolean open) {
    breakerOpen.set(open ? 1 : 0);
  }

  public void cacheDenial() {
    cacheDenials.increment();
  }

  public void configLoad(long version, long errors) {
    configLoads.increment();
    configErrors.increment(errors);
    configVersion.set(version);
  }

  /** The metrics in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
