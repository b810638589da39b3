package dev.gatehouse.ratelimit.limiter;

import dev.gatehouse.ratelimit.config.DomainConfig;
import dev.gatehouse.ratelimit.config.LimitRule;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one request descriptor is limited by, found with envoyproxy/ratelimit's rules.
 *
 * @param rules the limits that apply (after {@code replaces}); empty when none does
 * @param unlimited the matched node is unlimited: OK without touching the store
 * @param ruleKey the metrics label: the configured path, or the request's values with
 *     detailed_metric
 * @param hits what the request counts against each rule (0 only checks)
 * @param keyBase {@code domain_key_value_...}: envoyproxy/ratelimit's key without the window start
 */
record Slot(List<LimitRule> rules, boolean unlimited, String ruleKey, long hits, String keyBase) {

  static final Slot NONE = new Slot(List.of(), false, "", 0, "");

  /** The slots of every descriptor of the request, in order, with replaced limits removed. */
  static Slot[] of(RateLimitRequest request, DomainConfig domain) {
    Slot[] slots = new Slot[request.getDescriptorsCount()];
    Set<String> replaced = null;
    for (int i = 0; i < slots.length; i++) {
      slots[i] = of(request, domain, request.getDescriptors(i), i);
      for (LimitRule rule : slots[i].rules) {
        if (!rule.replaces().isEmpty()) {
          replaced = replaced == null ? new HashSet<>() : replaced;
          replaced.addAll(rule.replaces());
        }
      }
    }
    if (replaced != null) {
      for (int i = 0; i < slots.length; i++) {
        slots[i] = slots[i].without(replaced);
      }
    }
    return slots;
  }

  private static Slot of(
      RateLimitRequest request, DomainConfig domain, RateLimitDescriptor descriptor, int index) {
    if (domain == null) {
      return NONE;
    }
    long hits =
        descriptor.hasHitsAddend()
            ? descriptor.getHitsAddend().getValue()
            : Math.max(1, Integer.toUnsignedLong(request.getHitsAddend()));
    DomainConfig.Match match = domain.match(descriptor.getEntriesList());
    if (descriptor.hasLimit()) {
      LimitRule override = Requests.override(descriptor.getLimit(), index);
      String ruleKey = match != null ? match.ruleKey() : domain.domain() + ".limit_override";
      return new Slot(List.of(override), false, ruleKey, hits, keyBase(domain, descriptor));
    }
    if (match == null) {
      return NONE;
    }
    String ruleKey =
        match.node().detailedMetric() ? detailedKey(domain, descriptor) : match.ruleKey();
    if (match.node().unlimited()) {
      return new Slot(List.of(), true, ruleKey, hits, "");
    }
    return new Slot(match.node().limits(), false, ruleKey, hits, keyBase(domain, descriptor));
  }

  private Slot without(Set<String> replaced) {
    if (rules.stream().noneMatch(r -> !r.name().isEmpty() && replaced.contains(r.name()))) {
      return this;
    }
    List<LimitRule> kept = new ArrayList<>(rules);
    kept.removeIf(r -> !r.name().isEmpty() && replaced.contains(r.name()));
    return new Slot(kept, unlimited, ruleKey, hits, keyBase);
  }

  private static String keyBase(DomainConfig domain, RateLimitDescriptor descriptor) {
    StringBuilder key = new StringBuilder(domain.domain()).append('_');
    for (RateLimitDescriptor.Entry entry : descriptor.getEntriesList()) {
      key.append(entry.getKey()).append('_').append(entry.getValue()).append('_');
    }
    return key.toString();
  }

  private static String detailedKey(DomainConfig domain, RateLimitDescriptor descriptor) {
    StringBuilder key = new StringBuilder(domain.domain());
    for (RateLimitDescriptor.Entry entry : descriptor.getEntriesList()) {
      key.append('.').append(entry.getKey()).append('_').append(entry.getValue());
    }
    return key.toString();
  }
}
