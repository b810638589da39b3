package dev.gatehouse.config.mapping;

import dev.gatehouse.config.yaml.Range;
import dev.gatehouse.config.yaml.SnakeCase;

/**
 * Where the developer portal finds a Mapping's OpenAPI document: {@code path} through the Mapping
 * itself, or an absolute {@code url}.
 */
@SnakeCase
public record Docs(
    String path,
    String url,
    Boolean ignored,
    String displayName,
    @Range(min = 0) Integer timeoutMs) {}
