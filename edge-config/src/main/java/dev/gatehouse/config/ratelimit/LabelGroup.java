package dev.gatehouse.config.ratelimit;

import dev.gatehouse.config.yaml.BindWith;
import java.util.List;

/**
 * A named group of label specifiers, written {@code - group_name: [specifier, ...]}. Each group
 * becomes one descriptor; the name itself is only for people.
 */
@BindWith(LabelGroupBinder.class)
public record LabelGroup(String name, List<LabelSpecifier> specifiers) {
  public LabelGroup {
    specifiers = List.copyOf(specifiers);
  }
}
