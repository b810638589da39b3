package dev.gatehouse.proxy.xds;

import io.envoyproxy.envoy.config.core.v3.DataSource;

/** Envoy {@code DataSource}s, which edge-proxy reads from files only. */
final class DataSources {
  private DataSources() {}

  static String file(DataSource source, String where) {
    if (source.getSpecifierCase() != DataSource.SpecifierCase.FILENAME) {
      throw new XdsException(
          where
              + ": only a filename data source is supported by edge-proxy, not "
              + source.getSpecifierCase());
    }
    return source.getFilename();
  }
}
