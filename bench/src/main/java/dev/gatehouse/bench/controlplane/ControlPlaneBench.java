package dev.gatehouse.bench.controlplane;

import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ParsedFile;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneOptions;
import dev.gatehouse.controlplane.compile.ClusterDirectory;
import dev.gatehouse.controlplane.compile.CompiledConfig;
import dev.gatehouse.controlplane.compile.Compiler;
import dev.gatehouse.controlplane.compile.CompilerOptions;
import dev.gatehouse.controlplane.compile.IncrementalCompiler;
import dev.gatehouse.controlplane.xds.XdsCallbacks;
import dev.gatehouse.controlplane.xds.XdsServer;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's benchmark: load, compile and publish time and heap for 100, 1,000 and 10,000
 * Mappings, and the time from one edited Mapping among 10,000 to its new version on an ADS stream.
 * Bounded: a fixed number of rounds, loopback only. Run with {@code bench/control-plane/run.sh}.
 */
public final class ControlPlaneBench {
  private static final int ROUNDS = 10;

  /** Measured edits; {@code -Dbench.edits=N} raises it (for a profiler's sake). */
  private static final int EDITS = Integer.getInteger("bench.edits", 50);

  private static final int WARM_UP_EDITS = 20;
  private static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    System.out.printf(
        "control-plane benchmark, %d cores, max heap %d MiB, Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.version());
    Vertx vertx = Vertx.vertx();
    try {
      // -Dbench.editOnly=true: the edit-to-ADS part alone (for a profiler's sake).
      if (!Boolean.getBoolean("bench.editOnly")) {
        for (int n : new int[] {100, 1_000, 10_000}) {
          compileAndPublish(vertx, n);
        }
      }
      editLatency(vertx, 10_000);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Parse, compile, and publish until an ADS client has the routes (a cold JVM for the first size);
   * then {@link #ROUNDS} times one edited Mapping: its file parsed again and the load put together
   * from the other files' kept parses (as edge-config's watcher does), compiled fully (for
   * comparison) and incrementally, the incremental result published. Edit figures are the best
   * round, i.e. with the JIT warm.
   */
  private static void compileAndPublish(Vertx vertx, int n) throws Exception {
    int files = 100;
    int perFile = Math.max(1, n / files);
    List<ParsedFile> parsed = new ArrayList<>();
    parsed.add(ResourceLoader.parse(Mappings.RATE_LIMIT_SERVICE, "rls.yaml", "default"));
    XdsServer server =
        new XdsServer(vertx, new XdsCallbacks()).listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    IncrementalCompiler incremental = new IncrementalCompiler(CompilerOptions.DEFAULTS);
    Compiler full = new Compiler(CompilerOptions.DEFAULTS);
    long[] first = new long[4];
    long[] edit = new long[6];
    java.util.Arrays.fill(edit, Long.MAX_VALUE);
    CompiledConfig compiled = null;
    int editedFile = 1 + 7 / perFile;
    try (AdsProbe ads = new AdsProbe(server.actualPort())) {
      for (int round = 0; round <= ROUNDS; round++) {
        long t0 = System.nanoTime();
        if (round == 0) {
          for (int f = 0; f < n / perFile; f++) {
            parsed.add(
                ResourceLoader.parse(
                    Mappings.many(f * perFile, perFile), "mappings-" + f + ".yaml", "default"));
          }
        } else {
          // Mapping 7's prefix, in its file: that file is parsed again, the others are kept.
          String text =
              Mappings.many((editedFile - 1) * perFile, perFile)
                  .replace(Mappings.mapping(7, 1), Mappings.mapping(7, round + 1));
          parsed.set(
              editedFile,
              ResourceLoader.parse(text, "mappings-" + (editedFile - 1) + ".yaml", "default"));
        }
        ResourceLoader loader = new ResourceLoader();
        parsed.forEach(loader::add);
        LoadResult loaded = loader.result();
        long t1 = System.nanoTime();
        long fullCpu = 0;
        if (round > 0) {
          long cpu = CPU.getCurrentThreadCpuTime();
          full.compile(loaded);
          fullCpu = CPU.getCurrentThreadCpuTime() - cpu;
        }
        long t2 = System.nanoTime();
        long cpu = CPU.getCurrentThreadCpuTime();
        compiled = incremental.compile(loaded, ClusterDirectory.NONE);
        long compileCpu = CPU.getCurrentThreadCpuTime() - cpu;
        long t3 = System.nanoTime();
        server.publisher().publish(compiled).await(30, TimeUnit.SECONDS);
        if (round == 0) {
          ads.subscribeRoutes();
        }
        ads.awaitRoutesVersion(compiled.routesVersion());
        long t4 = System.nanoTime();
        if (loaded.resources().size() != n + 1) {
          throw new IllegalStateException("bench input did not load: " + loaded.summary());
        }
        if (round == 0) {
          first = new long[] {t1 - t0, t3 - t2, compileCpu, t4 - t3};
        } else {
          long[] times = {t1 - t0, fullCpu, t3 - t2, compileCpu, t4 - t3, t4 - t0 - (t2 - t1)};
          for (int k = 0; k < times.length; k++) {
            edit[k] = Math.min(edit[k], times[k]);
          }
        }
      }
    } finally {
      server.close().await(10, TimeUnit.SECONDS);
    }
    long heap = usedHeapAfterGc();
    System.out.printf(
        "%,6d Mappings: load %5d ms, compile %5d ms (CPU %4d ms), publish to ADS %4d ms | one"
            + " edit: load %3d ms, full compile CPU %4d ms, incremental compile %3d ms (CPU %3d"
            + " ms), publish to ADS %3d ms, in all %3d ms | %,d routes, %,d clusters, %,d KiB"
            + " xDS, heap after GC %d MiB%n",
        n,
        ms(first[0]),
        ms(first[1]),
        ms(first[2]),
        ms(first[3]),
        ms(edit[0]),
        ms(edit[1]),
        ms(edit[2]),
        ms(edit[3]),
        ms(edit[4]),
        ms(edit[5]),
        compiled.routeTable().size(),
        compiled.clusters().size(),
        compiled.sizeBytes() >> 10,
        heap >> 20);
  }

  /**
   * A control plane with default options watching 10,000 Mappings in 100 files; one Mapping's
   * prefix is edited {@link #WARM_UP_EDITS} + {@link #EDITS} times; for the last {@link #EDITS},
   * the time from the file write to the new routes version on the ADS stream.
   */
  private static void editLatency(Vertx vertx, int n) throws Exception {
    Path dir = Files.createTempDirectory("gatehouse-bench");
    int perFile = n / 100;
    for (int f = 0; f < 100; f++) {
      Files.writeString(
          dir.resolve("mappings-" + f + ".yaml"), Mappings.many(f * perFile, perFile));
    }
    ControlPlaneOptions options = ControlPlaneOptions.defaults(dir).withPorts("127.0.0.1", 0, 0);
    ControlPlane controlPlane = new ControlPlane(vertx, options);
    controlPlane.start().await(120, TimeUnit.SECONDS);
    List<Long> endToEnd = new ArrayList<>();
    try (AdsProbe ads = new AdsProbe(controlPlane.xds().actualPort())) {
      ads.subscribeRoutes();
      ads.awaitRoutesVersion(controlPlane.state().compiled().routesVersion());
      Path edited = dir.resolve("mappings-42.yaml");
      for (int round = 0; round < WARM_UP_EDITS + EDITS; round++) {
        String text =
            Mappings.many(42 * perFile, perFile)
                .replace(
                    Mappings.mapping(42 * perFile + 7, 1),
                    Mappings.mapping(42 * perFile + 7, round + 2));
        long generation = controlPlane.state().generation();
        long t0 = System.nanoTime();
        Files.writeString(edited, text);
        ads.awaitNewRoutesVersion();
        if (round >= WARM_UP_EDITS) {
          endToEnd.add(System.nanoTime() - t0);
        }
        while (controlPlane.state().generation() == generation) {
          Thread.sleep(1);
        }
      }
      endToEnd.sort(Long::compare);
      System.out.printf(
          "edit 1 of %,d Mappings -> new RDS version on ADS: p25 %d ms, p75 %d ms, p90 %d ms%n",
          n,
          ms(endToEnd.get(endToEnd.size() / 4)),
          ms(endToEnd.get(endToEnd.size() * 3 / 4)),
          ms(endToEnd.get(endToEnd.size() * 9 / 10)));
      System.out.printf(
          "edit 1 of %,d Mappings -> new RDS version on ADS: median %d ms, min %d ms, max %d ms"
              + " (%d edits after %d to warm up; default options: file events, %d ms quiet period,"
              + " %d ms fallback poll; one file of %d parsed again)%n",
          n,
          ms(endToEnd.get(endToEnd.size() / 2)),
          ms(endToEnd.get(0)),
          ms(endToEnd.get(endToEnd.size() - 1)),
          EDITS,
          WARM_UP_EDITS,
          options.quietPeriod().toMillis(),
          options.pollInterval().toMillis(),
          100);
      System.out.printf(
          "heap after GC with 10,000 Mappings served: %d MiB%n", usedHeapAfterGc() >> 20);
    } finally {
      controlPlane.close().await(30, TimeUnit.SECONDS);
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
