package dev.gatehouse.config.traffic;

import dev.gatehouse.config.yaml.Re2;
import dev.gatehouse.config.yaml.Required;

/** An RE2 pattern and its substitution, for {@code regex_rewrite} and {@code regex_redirect}. */
public record RegexMap(@Required @Re2 String pattern, @Required String substitution) {}
