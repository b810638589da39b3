package dev.gatehouse.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse demo}: the all-in-one mode on {@code examples/quickstart}, with the demo's
 * upstreams (quote service, canary, token issuer), and the curl commands to try.
 */
@Command(
    name = "demo",
    description = {
      "Runs Gatehouse on examples/quickstart with a demo quote service (ports 9080 and 9081) and a"
          + " demo token issuer (9090), and prints curl commands to try: routing, a rate limit"
          + " being hit, a JWT-protected path.",
      "Uses ./examples/quickstart when it exists (edit it: changes apply live), otherwise a copy"
          + " of it from the jar. The quickstart names ext-authz's and ratelimit's addresses"
          + " (127.0.0.1:9001 and :8081): with --authz-grpc-port or --ratelimit-port, change them"
          + " there too."
    })
final class DemoCommand implements Callable<Integer> {
  /** The quickstart's files, bundled in the jar under this folder (see launcher/pom.xml). */
  static final String BUNDLED = "examples/quickstart/";

  private static final Path LOCAL = Path.of("examples", "quickstart");

  static final List<String> QUICKSTART_FILES =
      List.of("edge.yaml", "quote.yaml", "ratelimits.yaml", "secure.yaml");

  @Spec private CommandSpec spec;

  @Mixin Options.Resources resources;
  @Mixin RunCommand.Flags flags;

  @Override
  public Integer call() throws IOException {
    Path dir = resources.configDir().orElseGet(DemoCommand::quickstart);
    AllInOne.Settings settings = flags.settings(spec, resources, dir);
    DemoUpstream upstream;
    try {
      upstream = DemoUpstream.start(List.of(9080, 9081), 9090);
    } catch (Exception e) {
      spec.commandLine()
          .getErr()
          .println(
              "gatehouse demo: cannot start the demo upstreams on ports 9080, 9081 and 9090: "
                  + e.getMessage());
      spec.commandLine().getErr().flush();
      return Gatehouse.USAGE;
    }
    AllInOne all = RunCommand.start(spec, settings);
    if (all == null) {
      upstream.close();
      return Gatehouse.USAGE;
    }
    printTour(spec.commandLine().getOut(), settings, all.controlPlane().adminPort());
    boolean copied = resources.configDir().isEmpty() && !Files.isDirectory(LOCAL);
    UntilStopped.serve(
        () -> {
          all.close();
          upstream.close();
          if (copied) {
            deleteCopy(dir);
          }
        });
    return Gatehouse.OK;
  }

  private static void printTour(PrintWriter out, AllInOne.Settings s, int diagPort) {
    String edge = "localhost:" + s.httpPort();
    out.printf(
        """

        Gatehouse demo is running. Try, in another terminal:

          # Routing: the quote service (90%%) or its canary (10%%), prefix /backend/ rewritten to /
          curl -i %1$s/backend/

          # A rate limit being hit: 5 requests per minute on /backend/, counting the one above
          for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%%{http_code}\\n' %1$s/backend/; done

          # A JWT-protected path: 401 without a token...
          curl -i %1$s/secure/
          # ...200 with one from the demo issuer (its subject arrives upstream as x-user)
          TOKEN=$(curl -s -X POST localhost:9090/demo/token -d sub=alice \\
            | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
          curl -i -H "Authorization: Bearer $TOKEN" %1$s/secure/

          # What Gatehouse loaded, its routes and clusters
          curl -s 'localhost:%2$d/ambassador/v0/diag/?json=true' | head -c 600

        Edit the YAML in %3$s and the change applies within a second. Ctrl-C stops everything.
        """,
        edge, s.adminPort(), s.configDir());
    out.flush();
  }

  private static void deleteCopy(Path dir) throws IOException {
    for (String file : QUICKSTART_FILES) {
      Files.deleteIfExists(dir.resolve(file));
    }
    Files.deleteIfExists(dir);
  }

  /** ./examples/quickstart, or the jar's copy of it written to a temporary directory. */
  static Path quickstart() {
    if (Files.isDirectory(LOCAL)) {
      return LOCAL;
    }
    try {
      Path dir = Files.createTempDirectory("gatehouse-quickstart");
      for (String file : QUICKSTART_FILES) {
        try (InputStream in =
            DemoCommand.class.getClassLoader().getResourceAsStream(BUNDLED + file)) {
          if (in == null) {
            throw new IOException("the jar has no " + BUNDLED + file);
          }
          Files.copy(in, dir.resolve(file));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the quickstart configuration", e);
    }
  }
}
