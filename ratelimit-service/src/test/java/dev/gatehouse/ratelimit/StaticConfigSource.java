package dev.gatehouse.ratelimit;

import dev.gatehouse.ratelimit.config.RateLimitConfig;
import dev.gatehouse.ratelimit.config.RateLimitConfigSource;
import java.util.List;
import java.util.function.Consumer;

/** A config source tests push configurations through, as the control plane will. */
public final class StaticConfigSource implements RateLimitConfigSource {
  private volatile Consumer<Update> listener;

  @Override
  public void start(Consumer<Update> listener) {
    this.listener = listener;
    listener.accept(new Update(RateLimitConfig.EMPTY, List.of()));
  }

  public void push(RateLimitConfig config) {
    listener.accept(new Update(config, List.of()));
  }

  @Override
  public void close() {}
}
