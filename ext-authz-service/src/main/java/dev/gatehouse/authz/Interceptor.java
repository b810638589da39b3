package dev.gatehouse.authz;

import io.vertx.core.Future;

/**
 * Handles requests to the service's own endpoints (the OAuth2 callback and logout) before any
 * FilterPolicy is consulted: they must work whichever rule covers their path.
 */
public interface Interceptor {

  /** The verdict for a request to one of this interceptor's endpoints, or null if not one. */
  Future<Verdict> intercept(AuthzRequest request);
}
