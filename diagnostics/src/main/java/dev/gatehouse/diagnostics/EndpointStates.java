package dev.gatehouse.diagnostics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Each endpoint's live state from an edge-proxy's admin {@code /clusters} (Envoy's text format,
 * {@code cluster::host:port::health_flags::healthy|/failed_active_hc|/failed_outlier_check}), added
 * to the diag report's clusters as {@code endpoint_state}. Runs on the report's worker thread.
 */
final class EndpointStates {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final URI clusters;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  EndpointStates(URI adminUrl) {
    this.clusters = adminUrl.resolve("/clusters");
  }

  void annotate(JsonObject report) {
    Map<String, String> flags = new HashMap<>();
    String error = null;
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(clusters).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        error = clusters + ": HTTP " + response.statusCode();
      } else {
        for (String line : response.body().split("\n")) {
          String[] parts = line.split("::");
          if (parts.length == 4 && parts[2].equals("health_flags")) {
            flags.put(parts[0] + "/" + parts[1], parts[3]);
          }
        }
      }
    } catch (java.io.IOException e) {
      error = clusters + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = clusters + ": interrupted";
    }
    for (Object item : report.getJsonArray("clusters", new JsonArray())) {
      JsonObject cluster = (JsonObject) item;
      JsonArray states = new JsonArray();
      for (Object endpoint : cluster.getJsonArray("endpoints", new JsonArray())) {
        String state = flags.get(cluster.getString("name") + "/" + endpoint);
        states.add(
            endpoint
                + " "
                + (error != null
                    ? "unknown (" + error + ")"
                    : state == null ? "not in the proxy" : state));
      }
      cluster.put("endpoint_state", states);
    }
  }
}
