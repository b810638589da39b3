package dev.gatehouse.authz;

import dev.gatehouse.config.LoadResult;
import java.util.function.Consumer;

/**
 * Where the service's Filters and FilterPolicies come from: a watched directory today, the control
 * plane later. The listener may be called from any one thread at a time and may block.
 */
public interface ConfigSource extends AutoCloseable {

  /** Delivers the first configuration before returning, then every change. */
  void start(Consumer<LoadResult> listener);

  @Override
  void close();
}
