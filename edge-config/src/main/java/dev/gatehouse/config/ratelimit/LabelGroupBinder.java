package dev.gatehouse.config.ratelimit;

import dev.gatehouse.config.yaml.BindContext;
import dev.gatehouse.config.yaml.Binder;
import dev.gatehouse.config.yaml.NodeBinder;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Binds {@code - group_name: [specifier, ...]}: a map with exactly one key, whose value is a list.
 */
final class LabelGroupBinder implements NodeBinder<LabelGroup> {
  @Override
  public LabelGroup bind(Node node, BindContext context) {
    if (!(node instanceof MappingNode map)
        || map.getValue().size() != 1
        || !(map.getValue().get(0).getKeyNode() instanceof ScalarNode)) {
      context.error(
          node,
          Binder.describe(node) + " (expected: a label group: {group_name: [label specifiers]})");
      return null;
    }
    NodeTuple tuple = map.getValue().get(0);
    String name = ((ScalarNode) tuple.getKeyNode()).getValue();
    return context.at(
        name,
        () -> {
          if (!(tuple.getValueNode() instanceof SequenceNode list)) {
            context.error(
                tuple.getValueNode(),
                Binder.describe(tuple.getValueNode()) + " (expected: a list of label specifiers)");
            return null;
          }
          List<LabelSpecifier> specifiers = new ArrayList<>();
          boolean failed = false;
          for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            LabelSpecifier specifier =
                context.at(
                    "[" + i + "]",
                    () -> (LabelSpecifier) Binder.bind(item, LabelSpecifier.class, context));
            if (specifier == null) {
              failed = true;
            } else {
              specifiers.add(specifier);
            }
          }
          return failed ? null : new LabelGroup(name, specifiers);
        });
  }
}
