package dev.gatehouse.launcher;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.controlplane.compile.Compiler;
import dev.gatehouse.diagnostics.explain.ExplainRequest;
import dev.gatehouse.diagnostics.explain.ExplainText;
import dev.gatehouse.diagnostics.explain.Explainer;
import dev.gatehouse.proxy.xds.XdsException;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse explain}: what Gatehouse would do with one request under a configuration
 * directory, with no server running — the same answer as the admin port's {@code
 * /ambassador/v0/explain}.
 */
@Command(
    name = "explain",
    description = {
      "Explains one request under the resources of a directory, with no server running: the"
          + " Mapping that matches and the nearest misses with the condition that failed, the"
          + " FilterPolicy rule and filters, the rate-limit descriptors and the limits they hit,"
          + " the cluster and its endpoints.",
      "Exits 1 when a resource is rejected (the explanation is of what did load)."
    })
final class ExplainCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private Options.Resources resources;

  @Option(names = "--method", defaultValue = "GET", description = "Default: ${DEFAULT-VALUE}.")
  private String method;

  @Option(
      names = "--scheme",
      defaultValue = "http",
      description = "http (the 8080 listener) or https (8443, SNI = host). Default: http.")
  private String scheme;

  // Checked in call(), not by picocli: like every option, they may come from the environment.
  @Option(names = "--host", description = "The request's Host (authority). Required.")
  private String host;

  @Option(names = "--path", description = "The path, with its query if any. Required.")
  private String path;

  @Option(
      names = "--header",
      paramLabel = "NAME:VALUE",
      description = "A request header; repeat for more.")
  private List<String> headers = new ArrayList<>();

  @Option(
      names = "--client",
      defaultValue = ExplainRequest.DEFAULT_CLIENT,
      description =
          "The client address, for remote_address descriptors. Default: ${DEFAULT-VALUE}.")
  private String client;

  @Option(names = "--json", description = "Print the explanation as JSON.")
  private boolean json;

  @Override
  public Integer call() {
    Path dir =
        resources
            .configDir()
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(), "Missing required option: --config-dir=DIR"));
    if (!Files.exists(dir)) {
      throw new ParameterException(
          spec.commandLine(), "--config-dir: " + dir + ": no such file or directory");
    }
    if (host == null || path == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing required option: " + (host == null ? "--host" : "--path"));
    }
    ExplainRequest request;
    try {
      request =
          new ExplainRequest(method, scheme, host, path, ExplainRequest.headers(headers), client);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    LoadResult loaded = new ResourceLoader(resources.ambassadorId()).add(dir).result();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    loaded.errors().forEach(err::println);
    JsonObject explained;
    try {
      explained = new Explainer(loaded, new Compiler().compile(loaded)).explain(request);
    } catch (XdsException e) {
      err.println(
          "gatehouse explain: edge-proxy would refuse this configuration: " + e.getMessage());
      err.flush();
      return Gatehouse.INVALID_CONFIGURATION;
    }
    out.print(json ? explained.encodePrettily() + "\n" : ExplainText.render(explained));
    out.flush();
    err.flush();
    return loaded.hasRejections() ? Gatehouse.INVALID_CONFIGURATION : Gatehouse.OK;
  }
}
