package dev.gatehouse.diagnostics.portal;

import java.time.Instant;

/**
 * One API of the portal: a Mapping with {@code docs}, where its document comes from, and the
 * document or why it could not be fetched.
 *
 * @param id URL-safe, from the Mapping's namespace and name
 * @param document the OpenAPI 3 text as the upstream served it (JSON or YAML); null on error
 * @param error why there is no document; null when there is one
 */
public record ApiDoc(
    String id,
    String mapping,
    String source,
    String displayName,
    String url,
    String hostHeader,
    int timeoutMs,
    String document,
    String contentType,
    String error,
    Instant fetchedAt) {

  ApiDoc fetched(String text, String type, Instant at) {
    return new ApiDoc(
        id, mapping, source, displayName, url, hostHeader, timeoutMs, text, type, null, at);
  }

  ApiDoc failed(String why, Instant at) {
    return new ApiDoc(
        id, mapping, source, displayName, url, hostHeader, timeoutMs, null, null, why, at);
  }

  /** The same API, keeping the last fetch when nothing about where it comes from changed. */
  ApiDoc keeping(ApiDoc previous) {
    if (previous == null
        || !previous.url.equals(url)
        || !java.util.Objects.equals(previous.hostHeader, hostHeader)) {
      return this;
    }
    return new ApiDoc(
        id,
        mapping,
        source,
        displayName,
        url,
        hostHeader,
        timeoutMs,
        previous.document,
        previous.contentType,
        previous.error,
        previous.fetchedAt);
  }
}
