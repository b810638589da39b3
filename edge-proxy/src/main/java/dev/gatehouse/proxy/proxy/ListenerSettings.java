package dev.gatehouse.proxy.proxy;

import dev.gatehouse.proxy.filters.AuthzSettings;
import dev.gatehouse.proxy.filters.RateLimitSettings;

/**
 * What an HTTP connection manager tells the proxy about the requests of one listener.
 *
 * @param authz the ext_authz filter, null when the listener has none
 * @param rateLimit the rate-limit filter, null when the listener has none
 * @param xffNumTrustedHops how many proxies in front of us append to X-Forwarded-For
 */
public record ListenerSettings(
    String name,
    boolean tls,
    String routeConfigName,
    boolean useRemoteAddress,
    int xffNumTrustedHops,
    boolean mergeSlashes,
    boolean normalizePath,
    String serverName,
    boolean preserveRequestId,
    AuthzSettings authz,
    RateLimitSettings rateLimit,
    boolean cors) {}
