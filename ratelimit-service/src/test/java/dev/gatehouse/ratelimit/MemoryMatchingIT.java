package dev.gatehouse.ratelimit;

/** {@link MatchingSuite} on the in-memory store. */
class MemoryMatchingIT extends MatchingSuite {
  @Override
  protected Store store() {
    return Store.MEMORY;
  }
}
