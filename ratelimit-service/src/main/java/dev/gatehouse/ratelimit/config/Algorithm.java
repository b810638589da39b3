package dev.gatehouse.ratelimit.config;

import dev.gatehouse.config.yaml.IgnoreCase;
import dev.gatehouse.config.yaml.YamlName;

/** How a limit counts requests. */
@IgnoreCase
public enum Algorithm {
  /** Counts per window aligned to the epoch, envoyproxy/ratelimit's only algorithm. */
  @YamlName("fixed_window")
  FIXED_WINDOW("fixed_window"),
  /** Weighs the previous window's count by how much of it still overlaps the sliding window. */
  @YamlName("sliding_window")
  SLIDING_WINDOW("sliding_window"),
  /** GCRA: a bucket of {@code burst} tokens refilled at {@code requests_per_unit} per window. */
  @YamlName("token_bucket")
  TOKEN_BUCKET("token_bucket");

  private final String yamlName;

  Algorithm(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }

  /** The code the Lua script and the memory store switch on. */
  public int code() {
    return ordinal() + 1;
  }
}
