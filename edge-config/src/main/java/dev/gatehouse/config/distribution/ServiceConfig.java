package dev.gatehouse.config.distribution;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of one service, as the control plane publishes it: the documents of the
 * resources that service reads, in a stable order, and a version that is the hash of their content
 * (equal documents, equal version, on every control-plane replica).
 *
 * @param service {@link Distribution#EXT_AUTHZ} or {@link Distribution#RATELIMIT}
 * @param publishedBy the control-plane member that wrote it, for diagnostics
 */
public record ServiceConfig(
    String service,
    String version,
    List<PublishedDocument> documents,
    String publishedBy,
    long publishedAtMillis)
    implements Serializable {

  public ServiceConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(version, "version");
    documents = List.copyOf(documents);
  }

  /**
   * Loads the documents as the control plane did, with the same validation; errors name the
   * original files and lines.
   */
  public LoadResult load(String ambassadorId) {
    ResourceLoader loader = new ResourceLoader(ambassadorId);
    for (PublishedDocument document : documents) {
      loader.addText(document.textForLoader(), document.origin());
    }
    return loader.result();
  }
}
