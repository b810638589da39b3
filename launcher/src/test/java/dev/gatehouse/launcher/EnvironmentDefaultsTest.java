package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class EnvironmentDefaultsTest {

  /** The options of run and demo, the all-in-one mode. */
  private static final List<String> ALL_IN_ONE =
      List.of(
          "--admin-port GATEHOUSE_ADMIN_PORT 8877",
          "--ambassador-id GATEHOUSE_AMBASSADOR_ID default",
          "--authz-grpc-port GATEHOUSE_AUTHZ_GRPC_PORT 9001",
          "--authz-http-port GATEHOUSE_AUTHZ_HTTP_PORT 9002",
          "--config-dir GATEHOUSE_CONFIG_DIR null",
          "--hazelcast-port GATEHOUSE_HAZELCAST_PORT 5701",
          "--http-port GATEHOUSE_HTTP_PORT 8080",
          "--https-port GATEHOUSE_HTTPS_PORT 8443",
          "--local-cache-size GATEHOUSE_LOCAL_CACHE_SIZE 100000",
          "--on-store-error GATEHOUSE_ON_STORE_ERROR error",
          "--ratelimit-port GATEHOUSE_RATELIMIT_PORT 8081",
          "--ratelimit-tls-cert GATEHOUSE_RATELIMIT_TLS_CERT null",
          "--ratelimit-tls-key GATEHOUSE_RATELIMIT_TLS_KEY null",
          "--redis GATEHOUSE_REDIS null",
          "--redis-insecure-tls GATEHOUSE_REDIS_INSECURE_TLS false",
          "--redis-key-prefix GATEHOUSE_REDIS_KEY_PREFIX ",
          "--redis-mode GATEHOUSE_REDIS_MODE standalone",
          "--redis-nodes GATEHOUSE_REDIS_NODES null",
          "--redis-pool-size GATEHOUSE_REDIS_POOL_SIZE 8",
          "--redis-sentinel-master GATEHOUSE_REDIS_SENTINEL_MASTER null",
          "--response-headers GATEHOUSE_RESPONSE_HEADERS false",
          "--store-timeout GATEHOUSE_STORE_TIMEOUT PT0.015S",
          "--xds-port GATEHOUSE_XDS_PORT 18000");

  /** Every subcommand's options as "--option GATEHOUSE_VARIABLE default", sorted by option. */
  private static final Map<String, List<String>> OPTIONS =
      Map.ofEntries(
          Map.entry("run", ALL_IN_ONE),
          Map.entry("demo", ALL_IN_ONE),
          Map.entry(
              "control-plane",
              List.of(
                  "--admin-port GATEHOUSE_ADMIN_PORT 8877",
                  "--ambassador-id GATEHOUSE_AMBASSADOR_ID default",
                  "--cluster-dns-service GATEHOUSE_CLUSTER_DNS_SERVICE null",
                  "--cluster-members GATEHOUSE_CLUSTER_MEMBERS null",
                  "--config-dir GATEHOUSE_CONFIG_DIR null",
                  "--docs-base-url GATEHOUSE_DOCS_BASE_URL http://127.0.0.1:8080",
                  "--docs-refresh-seconds GATEHOUSE_DOCS_REFRESH_SECONDS 60",
                  "--edge-proxy-admin-url GATEHOUSE_EDGE_PROXY_ADMIN_URL null",
                  "--hazelcast-port GATEHOUSE_HAZELCAST_PORT 5701",
                  "--ingress-class GATEHOUSE_INGRESS_CLASS ambassador",
                  "--kubernetes GATEHOUSE_KUBERNETES false",
                  "--namespace GATEHOUSE_NAMESPACE null",
                  "--status-address GATEHOUSE_STATUS_ADDRESS null",
                  "--xds-port GATEHOUSE_XDS_PORT 18000")),
          Map.entry(
              "demo-upstream",
              List.of(
                  "--canary-port GATEHOUSE_CANARY_PORT 9081",
                  "--issuer-port GATEHOUSE_ISSUER_PORT 9090",
                  "--port GATEHOUSE_PORT 9080")),
          Map.entry(
              "edge-proxy",
              List.of(
                  "--admin-port GATEHOUSE_ADMIN_PORT 8877",
                  "--node-id GATEHOUSE_NODE_ID null",
                  "--xds GATEHOUSE_XDS [localhost:18000]")),
          Map.entry(
              "explain",
              List.of(
                  "--ambassador-id GATEHOUSE_AMBASSADOR_ID default",
                  "--client GATEHOUSE_CLIENT 127.0.0.1",
                  "--config-dir GATEHOUSE_CONFIG_DIR null",
                  "--header GATEHOUSE_HEADER []",
                  "--host GATEHOUSE_HOST example.com",
                  "--json GATEHOUSE_JSON false",
                  "--method GATEHOUSE_METHOD GET",
                  "--path GATEHOUSE_PATH /",
                  "--scheme GATEHOUSE_SCHEME http")),
          Map.entry(
              "ext-authz",
              List.of(
                  "--admin-port GATEHOUSE_ADMIN_PORT 8877",
                  "--ambassador-id GATEHOUSE_AMBASSADOR_ID default",
                  "--authz-grpc-port GATEHOUSE_AUTHZ_GRPC_PORT 9001",
                  "--authz-http-port GATEHOUSE_AUTHZ_HTTP_PORT 9002",
                  "--config-dir GATEHOUSE_CONFIG_DIR null",
                  "--control-plane GATEHOUSE_CONTROL_PLANE null",
                  "--hazelcast-client GATEHOUSE_HAZELCAST_CLIENT null",
                  "--hazelcast-members GATEHOUSE_HAZELCAST_MEMBERS null")),
          Map.entry(
              "ratelimit",
              List.of(
                  "--admin-port GATEHOUSE_ADMIN_PORT 8877",
                  "--ambassador-id GATEHOUSE_AMBASSADOR_ID default",
                  "--config-dir GATEHOUSE_CONFIG_DIR null",
                  "--control-plane GATEHOUSE_CONTROL_PLANE null",
                  "--local-cache-size GATEHOUSE_LOCAL_CACHE_SIZE 100000",
                  "--on-store-error GATEHOUSE_ON_STORE_ERROR error",
                  "--ratelimit-port GATEHOUSE_RATELIMIT_PORT 8081",
                  "--ratelimit-tls-cert GATEHOUSE_RATELIMIT_TLS_CERT null",
                  "--ratelimit-tls-key GATEHOUSE_RATELIMIT_TLS_KEY null",
                  "--redis GATEHOUSE_REDIS null",
                  "--redis-insecure-tls GATEHOUSE_REDIS_INSECURE_TLS false",
                  "--redis-key-prefix GATEHOUSE_REDIS_KEY_PREFIX ",
                  "--redis-mode GATEHOUSE_REDIS_MODE standalone",
                  "--redis-nodes GATEHOUSE_REDIS_NODES null",
                  "--redis-pool-size GATEHOUSE_REDIS_POOL_SIZE 8",
                  "--redis-sentinel-master GATEHOUSE_REDIS_SENTINEL_MASTER null",
                  "--response-headers GATEHOUSE_RESPONSE_HEADERS false",
                  "--store-timeout GATEHOUSE_STORE_TIMEOUT PT0.015S")),
          Map.entry(
              "validate",
              List.of(
                  "--ambassador-id GATEHOUSE_AMBASSADOR_ID default",
                  "--config-dir GATEHOUSE_CONFIG_DIR null",
                  "--quiet GATEHOUSE_QUIET false")));

  /** The arguments a subcommand cannot run without, besides those that the test checks. */
  private static final Map<String, List<String>> REQUIRED =
      Map.of("explain", List.of("--host", "example.com", "--path", "/"));

  @Test
  void everyOptionOfEverySubcommandHasItsVariableAndDefault() {
    assertThat(Gatehouse.commandLine(Map.of()).getSubcommands()).containsOnlyKeys(OPTIONS.keySet());

    for (String name : OPTIONS.keySet()) {
      List<String> args = new java.util.ArrayList<>(List.of(name));
      args.addAll(REQUIRED.getOrDefault(name, List.of()));
      CommandLine command = parse(Map.of(), args.toArray(String[]::new));

      assertThat(describe(command.getCommandSpec())).as(name).isEqualTo(OPTIONS.get(name));
    }
  }

  @Test
  void everyOptionOfEverySubcommandIsReadFromItsVariable() {
    CommandLine gatehouse = Gatehouse.commandLine(Map.of());
    for (CommandLine command : gatehouse.getSubcommands().values()) {
      Map<String, String> environment = new HashMap<>();
      Map<String, String> expected = new HashMap<>();
      for (OptionSpec option : configurableOptions(command.getCommandSpec())) {
        String value = sampleValue(option);
        environment.put(EnvironmentDefaults.variable(option), value);
        expected.put(option.longestName(), option.isMultiValue() ? "[" + value + "]" : value);
      }

      CommandLine fromEnvironment = parse(environment, command.getCommandName());

      for (OptionSpec option : configurableOptions(fromEnvironment.getCommandSpec())) {
        assertThat(Objects.toString(option.getValue()))
            .as("%s %s", command.getCommandName(), option.longestName())
            .isEqualTo(expected.get(option.longestName()));
      }
    }
  }

  @Test
  void commandLineBeatsTheEnvironment() {
    CommandLine ratelimit =
        parse(
            Map.of("GATEHOUSE_RATELIMIT_PORT", "2222", "GATEHOUSE_REDIS", "redis://env:6379"),
            "ratelimit",
            "--ratelimit-port",
            "1111");

    assertThat(valueOf(ratelimit, "--ratelimit-port")).isEqualTo(1111);
    assertThat(valueOf(ratelimit, "--redis")).isEqualTo(URI.create("redis://env:6379"));
  }

  @Test
  void emptyVariableCountsAsUnset() {
    CommandLine edgeProxy =
        parse(Map.of("GATEHOUSE_ADMIN_PORT", "", "GATEHOUSE_XDS", " "), "edge-proxy");

    assertThat(valueOf(edgeProxy, "--admin-port")).isEqualTo(8877);
    assertThat(valueOf(edgeProxy, "--xds"))
        .isEqualTo(java.util.List.of(new HostPort("localhost", 18000)));
  }

  @Test
  void invalidValueInAVariableIsAUsageErrorNamingTheOption() {
    Execution run = Execution.of(Map.of("GATEHOUSE_XDS", "control-plane"), "edge-proxy");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err()).contains("--xds").contains("control-plane (expected: HOST:PORT)");
  }

  @Test
  void redisMustBeARedisUrl() {
    Execution run = Execution.of(Map.of("GATEHOUSE_REDIS", "localhost:6379"), "ratelimit");

    assertThat(run.exitCode()).isEqualTo(Gatehouse.USAGE);
    assertThat(run.err())
        .contains("--redis")
        .contains("localhost:6379 (expected: redis://HOST[:PORT] or rediss://HOST[:PORT])");
  }

  @Test
  void variableNameComesFromTheLongestOptionName() {
    OptionSpec option = OptionSpec.builder("-p", "--authz-grpc-port").type(int.class).build();

    assertThat(EnvironmentDefaults.variable(option)).isEqualTo("GATEHOUSE_AUTHZ_GRPC_PORT");
  }

  /** Parses a command line and returns the subcommand it ran, with its option values set. */
  private static CommandLine parse(Map<String, String> environment, String... args) {
    return Gatehouse.commandLine(environment)
        .parseArgs(args)
        .subcommand()
        .commandSpec()
        .commandLine();
  }

  private static List<String> describe(CommandSpec spec) {
    return configurableOptions(spec).stream()
        .map(
            o ->
                o.longestName()
                    + " "
                    + EnvironmentDefaults.variable(o)
                    + " "
                    + Objects.toString(o.getValue()))
        .sorted()
        .toList();
  }

  private static List<OptionSpec> configurableOptions(CommandSpec spec) {
    return spec.options().stream().filter(EnvironmentDefaults::configurable).toList();
  }

  private static Object valueOf(CommandLine command, String option) {
    return command.getCommandSpec().findOption(option).getValue();
  }

  /** A value of the option's type that differs from every default. */
  private static String sampleValue(OptionSpec option) {
    Class<?> type = option.type();
    if (type == int.class || type == long.class) {
      return "4242";
    }
    if (type == boolean.class) {
      return "true";
    }
    if (type == Path.class) {
      return "/from/environment";
    }
    if (type == URI.class) {
      return "redis://from-environment:6379";
    }
    if (type == HostPort.class
        || (type == List.class && option.auxiliaryTypes()[0] == HostPort.class)) {
      return "from-environment:4242";
    }
    if (type == java.time.Duration.class) {
      return "PT4.242S";
    }
    return "from-environment";
  }
}
