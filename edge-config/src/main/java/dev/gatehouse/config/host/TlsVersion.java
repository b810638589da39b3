package dev.gatehouse.config.host;

import dev.gatehouse.config.yaml.YamlName;

/** TLS protocol versions as Emissary names them. */
public enum TlsVersion {
  @YamlName("v1.0")
  V1_0,
  @YamlName("v1.1")
  V1_1,
  @YamlName("v1.2")
  V1_2,
  @YamlName("v1.3")
  V1_3
}
