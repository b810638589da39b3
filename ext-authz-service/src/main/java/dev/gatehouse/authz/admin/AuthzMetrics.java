package dev.gatehouse.authz.admin;

import dev.gatehouse.authz.Verdict;
import dev.gatehouse.authz.policy.CheckObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service's meters: {@code gatehouse_authz_filter_checks_total{filter,outcome}} and {@code
 * gatehouse_authz_filter_duration_seconds{filter}} per filter run, {@code
 * gatehouse_authz_checks_total{result}} and {@code gatehouse_authz_check_duration_seconds} per
 * Check. Meters are created once per filter and reused; nothing here blocks.
 */
public final class AuthzMetrics implements CheckObserver {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> filterCounters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> filterTimers = new ConcurrentHashMap<>();
  private final Counter allowed;
  private final Counter denied;
  private final Timer checkTimer;

  public AuthzMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.allowed =
        Counter.builder("gatehouse_authz_checks")
            .tag("result", "allowed")
            .description("Check calls answered")
            .register(registry);
    this.denied =
        Counter.builder("gatehouse_authz_checks")
            .tag("result", "denied")
            .description("Check calls answered")
            .register(registry);
    this.checkTimer =
        Timer.builder("gatehouse_authz_check_duration")
            .description("Time to answer a Check call")
            .publishPercentileHistogram()
            .register(registry);
  }

  @Override
  public void filterRan(String filterId, Outcome outcome, long nanos) {
    String key = filterId + '\n' + outcome;
    filterCounters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("gatehouse_authz_filter_checks")
                    .tag("filter", filterId)
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("Filter runs by outcome")
                    .register(registry))
        .increment();
    filterTimers
        .computeIfAbsent(
            filterId,
            k ->
                Timer.builder("gatehouse_authz_filter_duration")
                    .tag("filter", filterId)
                    .description("Time a filter took to decide")
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records one answered Check. */
  public void checked(Verdict verdict, long nanos) {
    (verdict instanceof Verdict.Allow ? allowed : denied).increment();
    checkTimer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
