package dev.gatehouse.authz.policy;

import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.HeaderCondition;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.auth.FilterPolicy;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the FilterPolicy resources of a configuration into a {@link Policy}. A reference to a
 * Filter that does not exist (or did not compile), or arguments that do not parse, make that step
 * deny with a 500: a broken rule must never let requests through unchecked.
 */
public final class PolicyCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyCompiler.class);

  private PolicyCompiler() {}

  /**
   * @param filters compiled filters by {@code namespace/name}
   */
  public static Policy compile(LoadResult config, Map<String, Filter> filters) {
    List<Resource<FilterPolicy>> policies =
        new ArrayList<>(config.ofKind(Kind.FILTER_POLICY, FilterPolicy.class));
    policies.sort(Comparator.comparing(Resource::qualifiedName));
    List<Policy.Rule> rules = new ArrayList<>();
    for (Resource<FilterPolicy> policy : policies) {
      List<FilterPolicy.Rule> specRules = policy.spec().rules();
      for (int i = 0; i < specRules.size(); i++) {
        rules.add(compileRule(policy, i, specRules.get(i), filters));
      }
    }
    // A stable sort: equal precedence keeps the policy and rule order.
    rules.sort(Comparator.comparingInt(Policy.Rule::precedence).reversed());
    return new Policy(rules);
  }

  private static Policy.Rule compileRule(
      Resource<FilterPolicy> policy,
      int index,
      FilterPolicy.Rule rule,
      Map<String, Filter> filters) {
    String name = policy.qualifiedName() + "/" + index;
    List<Policy.Step> steps = new ArrayList<>();
    List<FilterPolicy.FilterRef> refs = rule.filters() == null ? List.of() : rule.filters();
    for (int j = 0; j < refs.size(); j++) {
      FilterPolicy.FilterRef ref = refs.get(j);
      String namespace = ref.namespace() == null ? policy.namespace() : ref.namespace();
      String filterId = namespace + "/" + ref.name();
      String where = policy.id() + " spec.rules[" + index + "].filters[" + j + "]";
      Filter filter = filters.get(filterId);
      FilterArguments arguments;
      try {
        arguments = FilterArguments.parse(ref.arguments());
      } catch (IllegalArgumentException e) {
        LOG.error("{}: {}; requests matching this rule are denied", where, e.getMessage());
        filter = broken("invalid arguments for filter " + filterId);
        arguments = FilterArguments.NONE;
      }
      if (filter == null) {
        LOG.error(
            "{}: Filter {} does not exist or did not load; requests matching this rule are denied",
            where,
            filterId);
        filter = broken("unknown filter " + filterId);
      }
      steps.add(
          new Policy.Step(
              filterId,
              filter,
              HeaderCondition.of(ref.ifRequestHeader()),
              ref.onDeny(),
              ref.onAllow(),
              arguments));
    }
    return new Policy.Rule(
        name,
        Glob.host(rule.host()),
        Glob.path(rule.path()),
        rule.precedence() == null ? 0 : rule.precedence(),
        steps);
  }

  private static Filter broken(String reason) {
    Verdict deny = Verdict.Deny.of(500, "authorization misconfigured: " + reason + "\n");
    return (request, arguments) -> Future.succeededFuture(deny);
  }
}
