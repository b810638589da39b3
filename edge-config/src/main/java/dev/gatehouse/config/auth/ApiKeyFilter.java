package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.Default;
import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Required;
import java.util.List;

/**
 * An APIKey Filter: the request must carry one of the keys in {@code httpHeader}. Keys come from
 * Kubernetes Secrets ({@code secretName}, Edge Stack's form) or, a Gatehouse extension for
 * directory configs, from a file with one key per line ({@code file}) or inline ({@code inlineKey},
 * the form the control plane publishes a resolved Secret in).
 */
public record ApiKeyFilter(
    @Default("x-api-key") String httpHeader, @Required List<KeySource> keys) {
  public ApiKeyFilter {
    if (keys.isEmpty()) {
      throw new FieldException("keys", "empty (expected: at least one key source)");
    }
  }

  /**
   * Where keys come from: exactly one of {@code secretName} (Edge Stack: every value in the
   * Secret's data is a key), {@code file} (Gatehouse: one key per line) or {@code inlineKey}
   * (Gatehouse: the key itself; the control plane writes this form when it resolves a {@code
   * secretName} for ext-authz, since the services' configuration has no place for Secrets).
   */
  public record KeySource(String secretName, String file, String inlineKey) {
    public KeySource {
      int given =
          (secretName == null ? 0 : 1) + (file == null ? 0 : 1) + (inlineKey == null ? 0 : 1);
      if (given != 1) {
        throw new FieldException(
            "secretName",
            (given == 0 ? "none of secretName, file, inlineKey given" : "more than one given")
                + " (expected: exactly one of secretName, file, inlineKey)");
      }
      if (inlineKey != null && inlineKey.isBlank()) {
        throw new FieldException("inlineKey", "blank (expected: a key)");
      }
    }

    /** Never the inline key. */
    @Override
    public String toString() {
      return "KeySource["
          + (secretName != null
              ? "secretName=" + secretName
              : file != null ? "file=" + file : "inlineKey=(hidden)")
          + "]";
    }
  }
}
