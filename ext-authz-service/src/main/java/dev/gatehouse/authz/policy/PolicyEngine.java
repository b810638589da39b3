package dev.gatehouse.authz.policy;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.authz.policy.CheckObserver.Outcome;
import dev.gatehouse.config.auth.FilterPolicy.Next;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides about a request with the current {@link Policy}: picks the rule (first match, or the one
 * the context extensions name), runs its filters in order and combines their verdicts.
 *
 * <p>A filter whose {@code ifRequestHeader} does not hold is skipped. A denial stops the chain
 * unless {@code onDeny: continue}, which goes on as if the filter had not run; an allow adds its
 * header mutations and goes on unless {@code onAllow: break}. Later filters see the headers that
 * earlier ones set. A filter that fails (rather than deny) always stops the chain with a 500: the
 * engine fails closed.
 */
public final class PolicyEngine {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

  private final Supplier<Policy> policy;
  private final CheckObserver observer;

  public PolicyEngine(Supplier<Policy> policy, CheckObserver observer) {
    this.policy = policy;
    this.observer = observer;
  }

  /** The verdict for a request; never a failed future. */
  public Future<Verdict> check(AuthzRequest request) {
    Policy current = policy.get();
    Policy.Selection selection = current.select(request);
    if (selection instanceof Policy.NoRule) {
      return Future.succeededFuture(Verdict.ALLOW);
    }
    if (selection instanceof Policy.DenyAll denyAll) {
      return Future.succeededFuture(
          Verdict.Deny.of(503, "authorization unavailable: " + denyAll.reason() + "\n"));
    }
    if (selection instanceof Policy.UnknownRule unknown) {
      LOG.warn(
          "context extension {}={} names no FilterPolicy rule; denying",
          Policy.RULE_EXTENSION,
          unknown.name());
      return Future.succeededFuture(
          Verdict.Deny.of(500, "authorization misconfigured: unknown rule\n"));
    }
    List<Policy.Step> steps = ((Policy.Matched) selection).rule().steps();
    return run(steps, 0, request, HeaderMutations.NONE);
  }

  private Future<Verdict> run(
      List<Policy.Step> steps, int index, AuthzRequest request, HeaderMutations soFar) {
    for (int i = index; i < steps.size(); i++) {
      Policy.Step step = steps.get(i);
      if (step.condition() != null && !step.condition().matches(request)) {
        continue;
      }
      int next = i + 1;
      long started = System.nanoTime();
      Future<Verdict> verdict;
      try {
        verdict = step.filter().check(request, step.arguments());
      } catch (RuntimeException e) {
        verdict = Future.failedFuture(e);
      }
      return verdict.transform(
          done -> {
            long nanos = System.nanoTime() - started;
            if (done.failed()) {
              observer.filterRan(step.filterId(), Outcome.ERRORED, nanos);
              LOG.error("filter {} failed; denying", step.filterId(), done.cause());
              return Future.succeededFuture(
                  Verdict.Deny.of(500, "authorization failed: filter error\n"));
            }
            Verdict result = done.result();
            if (result instanceof Verdict.Deny deny) {
              observer.filterRan(step.filterId(), Outcome.DENIED, nanos);
              if (step.onDeny() == Next.BREAK) {
                return Future.succeededFuture(deny);
              }
              return run(steps, next, request, soFar);
            }
            observer.filterRan(step.filterId(), Outcome.ALLOWED, nanos);
            HeaderMutations mutations = ((Verdict.Allow) result).mutations();
            HeaderMutations combined = soFar.then(mutations);
            if (step.onAllow() == Next.BREAK) {
              return Future.succeededFuture(Verdict.allow(combined));
            }
            AuthzRequest seen =
                mutations.isEmpty()
                    ? request
                    : request.withHeaders(mutations.applyTo(request.headers()));
            return run(steps, next, seen, combined);
          });
    }
    return Future.succeededFuture(Verdict.allow(soFar));
  }
}
