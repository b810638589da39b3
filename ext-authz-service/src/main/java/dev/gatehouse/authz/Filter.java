package dev.gatehouse.authz;

import io.vertx.core.Future;

/**
 * One compiled Filter resource: decides about a request, asynchronously and without blocking the
 * calling event loop. Implementations are immutable and thread-safe; a failed future means the
 * filter could not decide, which the policy turns into a fail-closed denial.
 */
public interface Filter {

  /** The verdict for {@code request}, given the arguments of the FilterPolicy rule. */
  Future<Verdict> check(AuthzRequest request, FilterArguments arguments);
}
