package dev.gatehouse.controlplane;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import java.time.Instant;

/**
 * One applied configuration: what was loaded, what it compiled to, when. Immutable; the control
 * plane swaps the whole state on each reconfiguration.
 *
 * @param generation counts reconfigurations from 1
 */
public record ConfigState(
    long generation, LoadResult loaded, CompiledConfig compiled, Instant appliedAt) {}
