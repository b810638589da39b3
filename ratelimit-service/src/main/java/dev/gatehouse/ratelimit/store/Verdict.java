package dev.gatehouse.ratelimit.store;

/**
 * A store's answer for one {@link Hit}.
 *
 * @param allowed whether this limit alone admits the hit
 * @param remaining requests left in the limit: after this request if the whole request was admitted
 *     (and so counted), before it otherwise
 * @param resetMicros until the window ends (token_bucket: until the bucket is full again)
 * @param retryMicros until a single hit would pass; 0 when one would pass now
 */
public record Verdict(boolean allowed, long remaining, long resetMicros, long retryMicros) {}
