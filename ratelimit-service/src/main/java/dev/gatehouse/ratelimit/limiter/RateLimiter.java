package dev.gatehouse.ratelimit.limiter;

import dev.gatehouse.ratelimit.admin.RateLimitMetrics;
import dev.gatehouse.ratelimit.admin.RateLimitMetrics.Outcome;
import dev.gatehouse.ratelimit.config.LimitRule;
import dev.gatehouse.ratelimit.config.RateLimitConfig;
import dev.gatehouse.ratelimit.store.Hit;
import dev.gatehouse.ratelimit.store.RateLimitStore;
import dev.gatehouse.ratelimit.store.Verdict;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Decides a RateLimitRequest: finds each descriptor's limits in the current configuration, asks the
 * store once for all of them, and answers with one status per descriptor. A request whose counter
 * is known to be over its limit is denied from the local cache; a store that fails or misses its
 * budget gets the configured failure mode. Thread-safe: the configuration is an immutable snapshot
 * swapped atomically.
 */
public final class RateLimiter {
  private final AtomicReference<RateLimitConfig> config =
      new AtomicReference<>(RateLimitConfig.EMPTY);
  private final LimiterSettings settings;
  private final RateLimitMetrics metrics;
  private final StoreGuard guard;
  private final OverLimitCache overLimit;
  private final LongSupplier nanoClock;

  public RateLimiter(
      Vertx vertx,
      RateLimitStore store,
      LimiterSettings settings,
      RateLimitMetrics metrics,
      LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.settings = settings;
    this.metrics = metrics;
    this.guard =
        new StoreGuard(
            vertx,
            store,
            settings.storeBudget(),
            settings.breakerFailures(),
            settings.probeInterval(),
            metrics);
    this.overLimit = new OverLimitCache(settings.overLimitCacheSize());
  }

  /** Serves {@code next} from now on; calls already running finish with the one they started. */
  public void apply(RateLimitConfig next) {
    config.set(next);
  }

  public RateLimitConfig config() {
    return config.get();
  }

  /** Whether the store's breaker is open (the store failed and has not answered a probe yet). */
  public boolean storeBreakerOpen() {
    return guard.isOpen();
  }

  /**
   * The answer to a request; fails with {@link InvalidRequestException} for a malformed request and
   * with {@link StoreUnavailableException} when the store fails and the failure mode is ERROR.
   */
  public Future<RateLimitResponse> shouldRateLimit(RateLimitRequest request) {
    try {
      Requests.validate(request);
    } catch (InvalidRequestException e) {
      return Future.failedFuture(e);
    }
    Slot[] slots = Slot.of(request, config.get().domain(request.getDomain()));
    List<Hit> hits = new ArrayList<>();
    List<int[]> owners = new ArrayList<>(); // {slot, rule} of each hit
    long now = nanoClock.getAsLong();
    int cachedSlot = -1;
    LimitRule cachedRule = null;
    long cachedNanos = 0;
    for (int s = 0; s < slots.length; s++) {
      List<LimitRule> rules = slots[s].rules();
      for (int r = 0; r < rules.size(); r++) {
        LimitRule rule = rules.get(r);
        Hit hit =
            new Hit(
                slots[s].keyBase() + rule.keyTag(),
                rule.algorithm(),
                rule.requestsPerUnit(),
                rule.windowSeconds(),
                rule.burst(),
                slots[s].hits(),
                !rule.shadow());
        if (cachedRule == null && hit.enforced() && hit.hits() > 0) {
          long left = overLimit.remainingNanos(cacheKey(hit), now);
          if (left > 0) {
            cachedSlot = s;
            cachedRule = rule;
            cachedNanos = left;
          }
        }
        hits.add(hit);
        owners.add(new int[] {s, r});
      }
    }
    if (hits.isEmpty()) {
      return Future.succeededFuture(withoutStore(slots, null, -1, 0));
    }
    if (cachedRule != null) {
      metrics.cacheDenial();
      metrics.rule(slots[cachedSlot].ruleKey(), slots[cachedSlot].hits(), Outcome.OVER_LIMIT);
      return Future.succeededFuture(
          withoutStore(slots, cachedRule, cachedSlot, cachedNanos / 1000));
    }
    return guard
        .apply(hits)
        .map(verdicts -> decided(slots, hits, owners, verdicts, now))
        .recover(
            failure ->
                settings.onStoreError() == FailureMode.ERROR
                    ? Future.failedFuture(failure)
                    : Future.succeededFuture(failureMode(slots)));
  }

  private RateLimitResponse decided(
      Slot[] slots, List<Hit> hits, List<int[]> owners, List<Verdict> verdicts, long now) {
    // Per slot: the verdict that decides its status (first denial, else least remaining).
    int[] decisive = new int[slots.length];
    boolean[] denied = new boolean[slots.length];
    java.util.Arrays.fill(decisive, -1);
    for (int i = 0; i < hits.size(); i++) {
      int s = owners.get(i)[0];
      Hit hit = hits.get(i);
      Verdict verdict = verdicts.get(i);
      boolean deny = !verdict.allowed() && hit.enforced();
      metrics.rule(slots[s].ruleKey(), hit.hits(), outcome(hit, verdict));
      if (deny && verdict.retryMicros() > 0) {
        overLimit.remember(cacheKey(hit), now + verdict.retryMicros() * 1000, now);
      }
      if (denied[s]) {
        continue;
      }
      if (deny || decisive[s] < 0 || verdict.remaining() < verdicts.get(decisive[s]).remaining()) {
        decisive[s] = i;
        denied[s] = deny;
      }
    }
    RateLimitResponse.Builder response = RateLimitResponse.newBuilder();
    boolean over = false;
    List<Responses.Pending> pending = null;
    for (int s = 0; s < slots.length; s++) {
      if (decisive[s] < 0) {
        response.addStatuses(slots[s].unlimited() ? Responses.UNLIMITED : Responses.OK);
        continue;
      }
      Verdict verdict = verdicts.get(decisive[s]);
      LimitRule rule = slots[s].rules().get(owners.get(decisive[s])[1]);
      over |= denied[s];
      response.addStatuses(
          Responses.status(
              denied[s] ? Code.OVER_LIMIT : Code.OK,
              rule,
              denied[s] ? 0 : verdict.remaining(),
              verdict.resetMicros()));
      for (LimitRule each : slots[s].rules()) {
        pending = Responses.pend(pending, each, denied[s] && each == rule);
      }
    }
    return finish(response, over, pending);
  }

  private Outcome outcome(Hit hit, Verdict verdict) {
    if (!verdict.allowed()) {
      return hit.enforced() ? Outcome.OVER_LIMIT : Outcome.SHADOW_MODE;
    }
    long used = hit.limit() - Math.max(0, verdict.remaining());
    return used > (long) Math.floor(hit.limit() * 0.8) ? Outcome.NEAR_LIMIT : Outcome.WITHIN_LIMIT;
  }

  /**
   * An answer without the store: a denial from the local cache ({@code cachedRule} in slot {@code
   * cachedSlot}), or nothing to count. Slots not evaluated report their first limit, 0 remaining.
   */
  private RateLimitResponse withoutStore(
      Slot[] slots, LimitRule cachedRule, int cachedSlot, long cachedMicros) {
    RateLimitResponse.Builder response = RateLimitResponse.newBuilder();
    List<Responses.Pending> pending = null;
    for (int s = 0; s < slots.length; s++) {
      Slot slot = slots[s];
      if (s == cachedSlot) {
        response.addStatuses(Responses.status(Code.OVER_LIMIT, cachedRule, 0, cachedMicros));
        pending = Responses.pend(pending, cachedRule, true);
      } else if (slot.rules().isEmpty()) {
        response.addStatuses(slot.unlimited() ? Responses.UNLIMITED : Responses.OK);
      } else {
        LimitRule rule = slot.rules().get(0);
        response.addStatuses(Responses.status(Code.OK, rule, 0, Responses.localReset(rule)));
      }
    }
    return finish(response, cachedRule != null, pending);
  }

  /** ALLOW: every limit reports its full quota; DENY: every enforced limit is over. */
  private RateLimitResponse failureMode(Slot[] slots) {
    boolean deny = settings.onStoreError() == FailureMode.DENY;
    RateLimitResponse.Builder response = RateLimitResponse.newBuilder();
    boolean over = false;
    for (Slot slot : slots) {
      if (slot.rules().isEmpty()) {
        response.addStatuses(slot.unlimited() ? Responses.UNLIMITED : Responses.OK);
        continue;
      }
      LimitRule rule =
          slot.rules().stream().filter(r -> !r.shadow()).findFirst().orElse(slot.rules().get(0));
      boolean denied = deny && !rule.shadow();
      over |= denied;
      response.addStatuses(
          Responses.status(
              denied ? Code.OVER_LIMIT : Code.OK,
              rule,
              denied ? 0 : rule.requestsPerUnit(),
              Responses.localReset(rule)));
    }
    return finish(response, over, null);
  }

  private RateLimitResponse finish(
      RateLimitResponse.Builder response, boolean over, List<Responses.Pending> pending) {
    response.setOverallCode(over ? Code.OVER_LIMIT : Code.OK);
    // After the overall code: the templates read it.
    Responses.addHeaderActions(response, pending);
    if (settings.responseHeaders()) {
      Responses.addRateLimitHeaders(response);
    }
    return response.build();
  }

  private static String cacheKey(Hit hit) {
    return hit.key() + '|' + hit.algorithm().code() + '|' + hit.limit() + '|' + hit.windowSeconds();
  }

  /** Stops probing the store. */
  public void close() {
    guard.close();
  }
}
