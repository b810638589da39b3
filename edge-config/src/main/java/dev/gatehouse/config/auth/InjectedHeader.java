package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.Required;

/** A header to set, whose value is a template such as {@code {{ .token.Claims.sub }}}. */
public record InjectedHeader(@Required String name, @Required String value) {}
