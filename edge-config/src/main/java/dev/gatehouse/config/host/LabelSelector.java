package dev.gatehouse.config.host;

import dev.gatehouse.config.yaml.Required;
import java.util.List;
import java.util.Map;

/** A Kubernetes label selector, as a Host's {@code mappingSelector} uses it. */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  /** One {@code matchExpressions} entry. */
  public record Requirement(
      @Required String key, @Required Operator operator, List<String> values) {}

  /** Kubernetes' selector operators. */
  public enum Operator {
    @dev.gatehouse.config.yaml.YamlName("In")
    IN,
    @dev.gatehouse.config.yaml.YamlName("NotIn")
    NOT_IN,
    @dev.gatehouse.config.yaml.YamlName("Exists")
    EXISTS,
    @dev.gatehouse.config.yaml.YamlName("DoesNotExist")
    DOES_NOT_EXIST
  }

  /** Whether a resource with these labels is selected. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    for (Requirement requirement : matchExpressions) {
      String value = labels.get(requirement.key());
      boolean ok =
          switch (requirement.operator()) {
            case IN -> value != null && requirement.values().contains(value);
            case NOT_IN -> value == null || !requirement.values().contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
