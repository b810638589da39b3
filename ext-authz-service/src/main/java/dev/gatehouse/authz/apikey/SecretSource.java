package dev.gatehouse.authz.apikey;

import dev.gatehouse.config.auth.ApiKeyFilter.KeySource;
import java.util.List;

/**
 * Where API keys come from. Called when a configuration is compiled, off the event loop; may block.
 * Kubernetes Secrets arrive with the control plane, as another implementation.
 */
public interface SecretSource {

  /** The keys of one {@code keys[]} entry; throws {@link SecretException} saying why not. */
  List<String> keys(String namespace, KeySource source);

  /**
   * A source that reads nothing, saying {@code why}: e.g. with the configuration from the control
   * plane there is no directory for key files.
   */
  static SecretSource unavailable(String why) {
    return (namespace, source) -> {
      throw new SecretException(why);
    };
  }

  /** A key source that cannot be read. The message names the source, never a key. */
  final class SecretException extends RuntimeException {
    public SecretException(String message) {
      super(message);
    }
  }
}
