package dev.gatehouse.config.module;

import dev.gatehouse.config.yaml.Required;

/**
 * The spec of a {@code Module}. Gatehouse reads the one named {@code ambassador}; its settings are
 * in {@code config}.
 */
public record Module(@Required AmbassadorConfig config) {}
