package dev.gatehouse.ratelimit.store;

import dev.gatehouse.ratelimit.config.Algorithm;

/**
 * One limit to check and count for a request: a store evaluates all hits of a request together.
 *
 * @param key the counter's name without the window start (the store appends it for window
 *     algorithms, from its own clock)
 * @param limit requests per window
 * @param windowSeconds the window (token_bucket: the time to refill {@code limit} tokens)
 * @param burst token_bucket only: the bucket's size
 * @param hits how much this request counts; 0 only checks
 * @param enforced false for shadow limits: they count but never deny the request
 */
public record Hit(
    String key,
    Algorithm algorithm,
    long limit,
    long windowSeconds,
    long burst,
    long hits,
    boolean enforced) {}
