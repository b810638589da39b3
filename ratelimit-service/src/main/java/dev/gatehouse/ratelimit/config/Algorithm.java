package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.yaml.IgnoreCase;
import dev.gatehouse.config.yaml.YamlName;

/** How a limit counts requests. */
@IgnoreCase
public enum Algorithm {
  /** Counts per window aligned to the epoch, envoyproxy/ratelimit's only algorithm. */
  @YamlName("fixed_window")
  FIXED_WINDOW,
  /** Weighs the previous window's count by how much of it still overlaps the sliding window. */
  @YamlName("sliding_window")
  SLIDING_WINDOW,
  /** GCRA: a bucket of {@code burst} tokens refilled at {@code requests_per_unit} per window. */
  @YamlName("token_bucket")
  TOKEN_BUCKET;

  /** The code the Lua script and the memory store switch on. */
  public int code() {
    return ordinal() + 1;
  }
}
