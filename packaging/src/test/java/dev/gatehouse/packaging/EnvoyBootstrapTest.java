package dev.gatehouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Envoy cannot run here, so deploy/envoy/bootstrap.yaml is read with Envoy's own v3 protos, as
 * Envoy reads it (YAML as proto JSON, unknown fields failing), and checked to speak ADS to the
 * control plane's xDS port.
 */
class EnvoyBootstrapTest {
  private static final String HTTP_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  static Bootstrap parse(String yaml) throws Exception {
    String json =
        new ObjectMapper()
            .writeValueAsString(new Load(LoadSettings.builder().build()).loadFromString(yaml));
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder().add(HttpProtocolOptions.getDescriptor()).build())
        .merge(json, bootstrap);
    return bootstrap.build();
  }

  @Test
  void isAV3BootstrapThatGetsEverythingOverAdsFromTheControlPlane() throws Exception {
    Bootstrap bootstrap = parse(Files.readString(Repo.path("deploy/envoy/bootstrap.yaml")));

    ApiConfigSource ads = bootstrap.getDynamicResources().getAdsConfig();
    assertThat(ads.getApiType()).isEqualTo(ApiConfigSource.ApiType.GRPC);
    assertThat(ads.getTransportApiVersion()).isEqualTo(ApiVersion.V3);
    String cluster = ads.getGrpcServices(0).getEnvoyGrpc().getClusterName();
    assertThat(bootstrap.getDynamicResources().getCdsConfig().hasAds()).isTrue();
    assertThat(bootstrap.getDynamicResources().getCdsConfig().getResourceApiVersion())
        .isEqualTo(ApiVersion.V3);
    assertThat(bootstrap.getDynamicResources().getLdsConfig().hasAds()).isTrue();
    assertThat(bootstrap.getDynamicResources().getLdsConfig().getResourceApiVersion())
        .isEqualTo(ApiVersion.V3);

    Cluster xds =
        bootstrap.getStaticResources().getClustersList().stream()
            .filter(c -> c.getName().equals(cluster))
            .findFirst()
            .orElseThrow();
    SocketAddress address =
        xds.getLoadAssignment()
            .getEndpoints(0)
            .getLbEndpoints(0)
            .getEndpoint()
            .getAddress()
            .getSocketAddress();
    assertThat(address.getAddress()).isEqualTo("control-plane");
    assertThat(address.getPortValue()).isEqualTo(Cli.defaultPort("control-plane", "--xds-port"));
    assertThat(
            xds.getTypedExtensionProtocolOptionsOrThrow(HTTP_OPTIONS)
                .unpack(HttpProtocolOptions.class)
                .getExplicitHttpConfig()
                .hasHttp2ProtocolOptions())
        .as("gRPC needs HTTP/2 to the control plane")
        .isTrue();
    assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(9901);
  }

  @Test
  void aFieldEnvoyDoesNotKnowIsRefused() {
    assertThatThrownBy(() -> parse("node: {id: envoy, clustr: gatehouse}\n"))
        .hasMessageContaining("clustr");
  }
}
