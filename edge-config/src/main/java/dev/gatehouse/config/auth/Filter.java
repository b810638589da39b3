package dev.gatehouse.config.auth;

import dev.gatehouse.config.yaml.FieldException;
import dev.gatehouse.config.yaml.Unsupported;
import dev.gatehouse.config.yaml.YamlName;

/** The spec of an Edge Stack {@code Filter}: exactly one of OAuth2, JWT, APIKey or External. */
public record Filter(
    @YamlName("OAuth2") OAuth2Filter oauth2,
    @YamlName("JWT") JwtFilter jwt,
    @YamlName("APIKey") ApiKeyFilter apiKey,
    @YamlName("External") ExternalFilter external,
    @YamlName("Plugin") @Unsupported("Go plugins cannot run on the JVM") Object plugin) {

  public Filter {
    int types =
        (oauth2 != null ? 1 : 0)
            + (jwt != null ? 1 : 0)
            + (apiKey != null ? 1 : 0)
            + (external != null ? 1 : 0)
            + (plugin != null ? 1 : 0);
    if (types != 1) {
      throw new FieldException(
          types == 0 ? "OAuth2" : "JWT",
          (types == 0 ? "no filter type given" : types + " filter types given")
              + " (expected: exactly one of OAuth2, JWT, APIKey, External)");
    }
  }

  /** The type name, as written in YAML. */
  public String type() {
    return oauth2 != null
        ? "OAuth2"
        : jwt != null
            ? "JWT"
            : apiKey != null ? "APIKey" : external != null ? "External" : "Plugin";
  }
}
