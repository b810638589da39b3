package dev.gatehouse.proxy.filters;

import java.time.Duration;

/**
 * The rate-limit filter of a listener: the domain, which cluster serves Envoy's RateLimitService,
 * how long to wait (Envoy's default 20 ms), and whether to deny when it fails.
 */
public record RateLimitSettings(
    String domain,
    String cluster,
    Duration timeout,
    boolean failureModeDeny,
    boolean resourceExhaustedCode) {}
