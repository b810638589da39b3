package dev.gatehouse.controlplane.replicas;

/** Resources for the service-config tests. */
final class Fixtures {
  private Fixtures() {}

  static final String MAPPING =
      "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: quote}\n"
          + "spec: {prefix: /quote/, service: quote}\n";

  static String rateLimit(int rate) {
    return "# limits for the backend\napiVersion: getambassador.io/v3alpha1\nkind: RateLimit\n"
        + "metadata: {name: backend}\nspec:\n  domain: ambassador\n  limits:\n"
        + "    - pattern: [{generic_key: backend}]\n      rate: "
        + rate
        + "\n      unit: second\n";
  }

  static final String FILTER =
      "apiVersion: getambassador.io/v3alpha1\nkind: Filter\nmetadata: {name: keys}\nspec:\n"
          + "  APIKey:\n    httpHeader: x-api-key\n    keys: [{secretName: api-keys}]\n";
}
