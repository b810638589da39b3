package dev.gatehouse.ratelimit.limiter;

/** What the service answers when the store fails or is too slow for the budget. */
public enum FailureMode {
  /** A gRPC UNAVAILABLE error: Envoy then applies its own failure_mode_deny (allows by default). */
  ERROR,
  /** OK for every descriptor: fail open. */
  ALLOW,
  /** OVER_LIMIT for every descriptor with an enforced limit: fail closed. */
  DENY
}
