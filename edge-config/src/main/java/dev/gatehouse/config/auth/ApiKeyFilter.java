package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Required;
import java.util.List;

/**
 * An APIKey Filter: the request must carry one of the keys in {@code httpHeader}. Keys come from
 * Kubernetes Secrets ({@code secretName}, Edge Stack's form) or, a Gatehouse extension for
 * directory configs, from a file with one key per line ({@code file}).
 */
public record ApiKeyFilter(
    @Default("x-api-key") String httpHeader, @Required List<KeySource> keys) {
  public ApiKeyFilter {
    if (keys.isEmpty()) {
      throw new FieldException("keys", "empty (expected: at least one key source)");
    }
  }

  /** Where keys come from: exactly one of secretName or file. */
  public record KeySource(String secretName, String file) {
    public KeySource {
      if ((secretName == null) == (file == null)) {
        throw new FieldException(
            "secretName",
            (secretName == null
                    ? "neither secretName nor file given"
                    : "both secretName and file given")
                + " (expected: exactly one of them)");
      }
    }
  }
}
