package dev.gatehouse.ratelimit;

/** {@link MatchingSuite} on a real Redis. */
class RedisMatchingIT extends MatchingSuite {
  @Override
  protected Store store() {
    return Store.REDIS;
  }
}
