package dev.gatehouse.diagnostics.explain;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.policy.Policy;
import dev.gatehouse.authz.policy.PolicyCompiler;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.proxy.routing.FilterOverrides;
import dev.gatehouse.proxy.routing.RouteRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which FilterPolicy rule and filters would apply, by ext-authz's own rule selection. The filters
 * are not run (that would need the identity providers and the user's credentials): each is listed
 * with its {@code ifRequestHeader} condition and whether the request meets it.
 */
final class AuthzExplainer {
  private final LoadResult loaded;

  AuthzExplainer(LoadResult loaded) {
    this.loaded = loaded;
  }

  JsonObject explain(
      ExplainRequest request, boolean listenerHasAuthz, FilterOverrides overrides, RouteRequest r) {
    if (!listenerHasAuthz) {
      return new JsonObject().put("status", "none").put("note", "no AuthService is configured");
    }
    if (overrides.authzDisabled()) {
      return new JsonObject()
          .put("status", "bypassed")
          .put("note", "the Mapping sets bypass_auth: the request is not sent to ext_authz");
    }
    Map<String, Filter> filters = new HashMap<>();
    for (Resource<?> filter : loaded.resources()) {
      if (filter.kind() == Kind.FILTER) {
        filters.put(filter.qualifiedName(), (req, args) -> Future.failedFuture("not run"));
      }
    }
    Policy policy = PolicyCompiler.compile(loaded, filters);
    Map<String, String> headers = new HashMap<>();
    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    AuthzRequest authz =
        new AuthzRequest(
            r.method(),
            request.scheme(),
            request.host(),
            r.path(),
            headers,
            "",
            overrides.contextExtensions());
    JsonObject out =
        new JsonObject()
            .put("status", "checked")
            .put("context_extensions", new JsonObject(Map.copyOf(overrides.contextExtensions())))
            .put(
                "note",
                "FilterPolicy rules apply when the AuthService is Gatehouse's ext-authz; filters are"
                    + " listed, not run");
    Policy.Selection selection = policy.select(authz);
    if (selection instanceof Policy.NoRule) {
      return out.put("rule", null).put("result", "no FilterPolicy rule matches: allowed");
    }
    if (selection instanceof Policy.UnknownRule unknown) {
      return out.put("rule", unknown.name())
          .put("result", "the context extension names no rule: denied with 500");
    }
    if (selection instanceof Policy.DenyAll deny) {
      return out.put("result", "denied with 503: " + deny.reason());
    }
    Policy.Rule rule = ((Policy.Matched) selection).rule();
    JsonArray steps = new JsonArray();
    for (Policy.Step step : rule.steps()) {
      boolean applies = step.condition() == null || step.condition().matches(authz);
      steps.add(
          new JsonObject()
              .put("filter", step.filterId())
              .put("exists", filters.containsKey(step.filterId()))
              .put(
                  "if_request_header",
                  step.condition() == null ? null : step.condition().toString())
              .put("applies", applies)
              .put("on_deny", step.onDeny().name().toLowerCase(Locale.ROOT))
              .put("on_allow", step.onAllow().name().toLowerCase(Locale.ROOT)));
    }
    return out.put("rule", rule.name())
        .put("rule_host", rule.host().toString())
        .put("rule_path", rule.path().toString())
        .put("filters", steps)
        .put("result", steps.isEmpty() ? "the rule has no filters: allowed" : "filters decide");
  }
}
