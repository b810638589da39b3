package dev.gatehouse.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The helm binary: GATEHOUSE_HELM, else {@code helm} on the PATH (.ci/run installs it). */
final class Helm {
  static final Path CHART = Repo.path("helm/gatehouse");

  /** What a helm run printed, and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {}

  private Helm() {}

  static Optional<Path> binary() {
    String configured = System.getenv("GATEHOUSE_HELM");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "helm");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static Result run(List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary().orElseThrow().toString());
    command.addAll(arguments);
    Path out = Files.createTempFile("helm", ".out");
    Path err = Files.createTempFile("helm", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm " + arguments + " did not finish in 120 s");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** {@code helm template} of the chart with the CRDs, as release "gh" in namespace "edge". */
  static Result template(String... setValues) throws IOException, InterruptedException {
    List<String> arguments =
        new ArrayList<>(List.of("template", "gh", CHART.toString(), "--namespace", "edge"));
    arguments.add("--include-crds");
    for (String value : setValues) {
      arguments.add("--set");
      arguments.add(value);
    }
    return run(arguments);
  }
}
