package dev.gatehouse.ratelimit;

/** {@link CountingSuite} on the in-memory store. */
class MemoryCountingIT extends CountingSuite {
  @Override
  protected Store store() {
    return Store.MEMORY;
  }
}
