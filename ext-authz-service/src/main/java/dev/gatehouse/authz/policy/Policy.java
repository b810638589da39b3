package dev.gatehouse.authz.policy;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.HeaderCondition;
import dev.gatehouse.config.auth.FilterPolicy.Next;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All FilterPolicy rules of one configuration, compiled and ordered: higher {@code precedence}
 * first, then FilterPolicies by namespace and name, then rules in the order written. Immutable; the
 * hot path only reads it.
 */
public final class Policy {

  /** The context extension that names the rule to apply, bypassing host and path matching. */
  public static final String RULE_EXTENSION = "gatehouse_rule";

  /** A Policy without rules: every request is allowed, as with Edge Stack. */
  public static final Policy EMPTY = new Policy(List.of());

  private final List<Rule> rules;
  private final Map<String, Rule> byName;
  private final String denyAll;

  public Policy(List<Rule> rules) {
    this(rules, null);
  }

  private Policy(List<Rule> rules, String denyAll) {
    this.denyAll = denyAll;
    this.rules = List.copyOf(rules);
    Map<String, Rule> names = new LinkedHashMap<>();
    rules.forEach(r -> names.put(r.name(), r));
    this.byName = Map.copyOf(names);
  }

  /** A policy that denies every request with a 503, saying why. */
  public static Policy denyingAll(String reason) {
    return new Policy(List.of(), reason);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** One filter reference of a rule, compiled. */
  public record Step(
      String filterId,
      Filter filter,
      HeaderCondition condition,
      Next onDeny,
      Next onAllow,
      FilterArguments arguments) {}

  /**
   * One rule: {@code name} is {@code namespace/policy/index}, the value of {@link #RULE_EXTENSION}
   * that selects it.
   */
  public record Rule(String name, Glob host, Glob path, int precedence, List<Step> steps) {
    public Rule {
      steps = List.copyOf(steps);
    }

    boolean matches(String hostname, String authority, String normalizedPath) {
      return (host.matches(hostname) || host.matches(authority)) && path.matches(normalizedPath);
    }
  }

  /** The outcome of rule selection. */
  public sealed interface Selection {}

  /** No rule applies. */
  public record NoRule() implements Selection {}

  /** The context extensions named a rule that does not exist. */
  public record UnknownRule(String name) implements Selection {}

  /** This rule applies. */
  public record Matched(Rule rule) implements Selection {}

  /** Every request is denied: the configuration could not be loaded safely. */
  public record DenyAll(String reason) implements Selection {}

  /** The rule for a request (the engine and the explain endpoint both ask this). */
  public Selection select(AuthzRequest request) {
    if (denyAll != null) {
      return new DenyAll(denyAll);
    }
    String named = request.contextExtensions().get(RULE_EXTENSION);
    if (named != null) {
      Rule rule = byName.get(named);
      return rule == null ? new UnknownRule(named) : new Matched(rule);
    }
    if (rules.isEmpty()) {
      return new NoRule();
    }
    String path = PathNormalizer.normalize(request.path());
    String hostname = request.hostname();
    for (Rule rule : rules) {
      if (rule.matches(hostname, request.host(), path)) {
        return new Matched(rule);
      }
    }
    return new NoRule();
  }
}
