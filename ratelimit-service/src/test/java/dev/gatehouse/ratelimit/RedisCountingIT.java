package dev.gatehouse.ratelimit;

/** {@link CountingSuite} on a real Redis. */
class RedisCountingIT extends CountingSuite {
  @Override
  protected Store store() {
    return Store.REDIS;
  }
}
