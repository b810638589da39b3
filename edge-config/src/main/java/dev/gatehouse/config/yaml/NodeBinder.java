package dev.gatehouse.config.yaml;

import org.snakeyaml.engine.v2.nodes.Node;

/** Binds one YAML node to a value, reporting problems to the context instead of throwing. */
public interface NodeBinder<T> {
  /** The bound value, or null when the node was rejected (an error was reported). */
  T bind(Node node, BindContext context);
}
