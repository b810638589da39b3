package dev.gatehouse.config.yaml;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The record's YAML field names are its component names in snake_case ({@code timeoutMs} is {@code
 * timeout_ms}), as Emissary's older kinds spell them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SnakeCase {}
