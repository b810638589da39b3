package dev.gatehouse.authz.policy;

/** Told the outcome of each filter run, for metrics. Called on the event loop: must not block. */
public interface CheckObserver {

  /** What a filter decided. */
  enum Outcome {
    ALLOWED,
    DENIED,
    ERRORED
  }

  CheckObserver NONE = (filterId, outcome, nanos) -> {};

  void filterRan(String filterId, Outcome outcome, long nanos);
}
