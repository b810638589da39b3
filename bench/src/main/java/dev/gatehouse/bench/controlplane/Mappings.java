package dev.gatehouse.bench.controlplane;

/** Generates realistic Mapping YAML: varied prefixes, headers, canaries, hosts and upstreams. */
final class Mappings {
  private Mappings() {}

  /** Mapping number {@code i}, with its prefix ending in {@code version}. */
  static String mapping(int i, int version) {
    StringBuilder out =
        new StringBuilder("apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata:\n")
            .append("  name: m")
            .append(i)
            .append("\n  namespace: team")
            .append(i % 20)
            .append("\nspec:\n  prefix: /api/")
            .append(i % 500)
            .append("/svc")
            .append(i)
            .append("/v")
            .append(version)
            .append("/\n  service: svc")
            .append(i % 300)
            .append(".team")
            .append(i % 20)
            .append(":8080\n  timeout_ms: ")
            .append(1000 + i % 5 * 1000)
            .append('\n');
    if (i % 4 == 0) {
      out.append("  headers:\n    x-tenant: tenant").append(i % 50).append('\n');
    }
    if (i % 10 == 0) {
      out.append("  retry_policy: {retry_on: 5xx, num_retries: 2}\n");
    }
    if (i % 25 == 0) {
      out.append("  add_request_headers:\n    x-route: {value: r")
          .append(i)
          .append(", append: false}\n");
    }
    if (i % 7 == 0) {
      out.append("  labels:\n    ambassador:\n      - per_client:\n          - remote_address\n");
    }
    return out.toString();
  }

  /** {@code count} Mappings as one YAML stream. */
  static String many(int from, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < from + count; i++) {
      out.append(mapping(i, 1)).append("---\n");
    }
    return out.toString();
  }

  static final String RATE_LIMIT_SERVICE =
      "apiVersion: getambassador.io/v3alpha1\nkind: RateLimitService\nmetadata: {name: rls}\n"
          + "spec: {service: ratelimit:8081}\n---\n";
}
