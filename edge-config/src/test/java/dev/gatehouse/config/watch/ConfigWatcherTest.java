package dev.gatehouse.config.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.config.mapping.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
  @TempDir Path dir;
  private final List<LoadResult> seen = new CopyOnWriteArrayList<>();
  private ConfigWatcher watcher;

  private static String mapping(String name, String prefix, int timeout) {
    return """
        apiVersion: getambassador.io/v3alpha1
        kind: Mapping
        metadata:
          name: %s
        spec:
          prefix: %s
          service: quote
          timeout_ms: %d
        """
        .formatted(name, prefix, timeout);
  }

  private LoadResult start() {
    watcher = ConfigWatcher.builder(dir, seen::add).build();
    return watcher.start();
  }

  private LoadResult startPollingOnly() {
    watcher = ConfigWatcher.builder(dir, seen::add).fileEvents(false).build();
    return watcher.start();
  }

  private LoadResult last() {
    return seen.get(seen.size() - 1);
  }

  private static List<String> prefixes(LoadResult result) {
    return result.ofKind(Kind.MAPPING, Mapping.class).stream()
        .map(Resource::spec)
        .map(Mapping::prefix)
        .sorted()
        .toList();
  }

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
  }

  @Test
  void startLoadsOnceAndHandsTheResultToTheListener() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));

    LoadResult first = start();

    assertThat(seen).containsExactly(first);
    assertThat(prefixes(first)).containsExactly("/a/");
  }

  @Test
  void aValidChangeAppliesWithinASecond() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    start();

    Files.writeString(dir.resolve("b.yaml"), mapping("b", "/b/", 100));

    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> prefixes(last()).equals(List.of("/a/", "/b/")));
  }

  @Test
  void aBurstOfEditsMakesOneNewConfiguration() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    start();

    for (int i = 1; i <= 5; i++) {
      Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100 + i));
      Thread.sleep(20); // a burst: each edit lands well inside the quiet period of the one before
    }

    await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 2);
    Thread.sleep(400); // nothing more may follow once the burst has been applied
    assertThat(seen).hasSize(2);
    assertThat(last().ofKind(Kind.MAPPING, Mapping.class).get(0).spec().timeoutMs()).isEqualTo(105);
  }

  /**
   * Found by the control plane's benchmark: when a second event came inside the quiet period of the
   * first, the wake-up at the end of the first's quiet period saw itself as still pending and
   * scheduled none, so the change waited for the next poll.
   */
  @Test
  void anEditInsideTheQuietPeriodOfAnotherIsLoadedWhenTheFilesGoQuietNotAtThePoll()
      throws Exception {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    watcher =
        ConfigWatcher.builder(dir, seen::add)
            .quietPeriod(Duration.ofMillis(300))
            .pollInterval(Duration.ofMinutes(10))
            .build();
    watcher.start();

    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 101));
    Thread.sleep(100); // inside the first edit's quiet period
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 102));

    // Quiet 300 ms after the second edit; the poll would come after 10 minutes.
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertThat(last().ofKind(Kind.MAPPING, Mapping.class).get(0).spec().timeoutMs()).isEqualTo(102);
  }

  @Test
  void anInvalidEditKeepsTheLastGoodVersionAndSaysWhy() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    Files.writeString(dir.resolve("b.yaml"), mapping("b", "/b/", 100));
    start();

    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a-new/", -1));
    Files.writeString(dir.resolve("b.yaml"), mapping("b", "/b-new/", 100));

    await().atMost(Duration.ofSeconds(1)).until(() -> seen.size() == 2);
    assertThat(prefixes(last())).containsExactly("/a/", "/b-new/");
    assertThat(last().problems())
        .map(ConfigError::toString)
        .containsExactly(
            "a.yaml:8: Mapping default/a: spec.timeout_ms: -1 (expected: >= 0)",
            "a.yaml:1: warning: Mapping default/a: keeping the last good version until its errors are fixed");
  }

  @Test
  void aHalfWrittenFileKeepsItsResourcesWhileTheRestApplies() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    Files.writeString(dir.resolve("b.yaml"), mapping("b", "/b/", 100));
    start();

    Files.writeString(
        dir.resolve("a.yaml"),
        "apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata:\n  name: [a\n");
    Files.writeString(dir.resolve("c.yaml"), mapping("c", "/c/", 100));

    await().atMost(Duration.ofSeconds(1)).until(() -> seen.size() == 2);
    assertThat(prefixes(last())).containsExactly("/a/", "/b/", "/c/");
    assertThat(last().errors()).singleElement().asString().startsWith("a.yaml:5: not valid YAML");
  }

  @Test
  void removingAResourceFromAValidFileRemovesIt() throws IOException {
    Files.writeString(
        dir.resolve("a.yaml"), mapping("a", "/a/", 100) + "---\n" + mapping("b", "/b/", 100));
    start();

    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));

    await().atMost(Duration.ofSeconds(1)).until(() -> prefixes(last()).equals(List.of("/a/")));
  }

  @Test
  void aConfigMapSymlinkSwapIsPickedUp() throws IOException {
    // How the kubelet updates a mounted ConfigMap: new data directory, then an atomic rename of
    // ..data.
    Path v1 = Files.createDirectory(dir.resolve("..v1"));
    Files.writeString(v1.resolve("routes.yaml"), mapping("a", "/v1/", 100));
    Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
    Files.createSymbolicLink(dir.resolve("routes.yaml"), Path.of("..data/routes.yaml"));
    start();
    assertThat(prefixes(last())).containsExactly("/v1/");

    Path v2 = Files.createDirectory(dir.resolve("..v2"));
    Files.writeString(v2.resolve("routes.yaml"), mapping("a", "/v2/", 100));
    Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
    Files.move(
        tmp,
        dir.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);

    await().atMost(Duration.ofSeconds(1)).until(() -> prefixes(last()).equals(List.of("/v2/")));
  }

  @Test
  void anEditParsesOnlyTheFileThatChanged() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    Files.writeString(dir.resolve("b.yaml"), mapping("b", "/b/", 100));
    Files.createDirectory(dir.resolve("more"));
    Files.writeString(dir.resolve("more/c.yaml"), mapping("c", "/c/", 100));
    start();
    assertThat(watcher.filesParsed()).isEqualTo(3);

    Files.writeString(dir.resolve("more/c.yaml"), mapping("c", "/c-new/", 100));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> prefixes(last()).equals(List.of("/a/", "/b/", "/c-new/")));
    assertThat(watcher.filesParsed()).isEqualTo(4);
    assertThat(last()).isEqualTo(ResourceLoader.load(dir));
  }

  @Test
  void unchangedFilesKeepTheirResourceObjects() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    Files.writeString(dir.resolve("b.yaml"), mapping("b", "/b/", 100));
    LoadResult first = start();

    Files.writeString(dir.resolve("b.yaml"), mapping("b", "/b-new/", 100));

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    Resource<?> before = first.resources().get(0);
    Resource<?> after = last().resources().get(0);
    assertThat(after.name()).isEqualTo("a");
    assertThat(after).isSameAs(before);
  }

  @Test
  void theUntouchedResourcesOfAnEditedFileKeepTheirObjects() throws IOException {
    Files.writeString(
        dir.resolve("a.yaml"), mapping("a", "/a/", 100) + "---\n" + mapping("b", "/b/", 100));
    LoadResult first = start();

    Files.writeString(
        dir.resolve("a.yaml"), mapping("a", "/a/", 100) + "---\n" + mapping("b", "/b2/", 100));

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(last().resources().get(0)).isSameAs(first.resources().get(0));
    assertThat(last().resources().get(1)).isNotSameAs(first.resources().get(1));
  }

  @Test
  void aDeletedFileDropsItsResources() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    Files.writeString(dir.resolve("b.yaml"), mapping("b", "/b/", 100));
    start();

    Files.delete(dir.resolve("b.yaml"));

    await().atMost(Duration.ofSeconds(5)).until(() -> prefixes(last()).equals(List.of("/a/")));
    assertThat(last().problems()).isEmpty();
    assertThat(watcher.filesParsed()).isEqualTo(2);
  }

  @Test
  void aTouchThatLeavesTheContentAsItWasParsesNothingAndCallsNoListener() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    start();
    long reloads = watcher.reloads();

    Files.setLastModifiedTime(
        dir.resolve("a.yaml"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));

    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.reloads() > reloads);
    assertThat(watcher.filesParsed()).isEqualTo(1);
    assertThat(seen).hasSize(1);
  }

  @Test
  void aChangedFileThatIsNotYamlHandsTheSameConfigurationToTheListenerAgain() throws Exception {
    // ext-authz reads API keys from files next to the YAML: it must hear that they changed.
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    Files.writeString(dir.resolve("keys.txt"), "first\n");
    LoadResult first = start();

    Files.writeString(dir.resolve("keys.txt"), "first\nsecond\n");

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(last()).isSameAs(first);
    assertThat(watcher.filesParsed()).isEqualTo(1);
  }

  @Test
  void aListenerThatReadsNoOtherFileIsNotCalledWhenOneChanges() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    Files.writeString(dir.resolve("service.log"), "first\n");
    watcher = ConfigWatcher.builder(dir, seen::add).otherFilesMatter(false).build();
    watcher.start();
    long reloads = watcher.reloads();

    Files.writeString(dir.resolve("service.log"), "first\nsecond\n");

    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.reloads() > reloads);
    assertThat(seen).hasSize(1);
  }

  @Test
  void withoutFileEventsThePollStillNoticesAChange() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    startPollingOnly();

    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a-new/", 100));

    await().atMost(Duration.ofSeconds(5)).until(() -> prefixes(last()).equals(List.of("/a-new/")));
    assertThat(watcher.filesParsed()).isEqualTo(2);
  }

  @Test
  void aFileThatNoLongerParsesIsReparsedOnceFixed() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a/", 100));
    start();
    Files.writeString(dir.resolve("a.yaml"), "kind: [\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(prefixes(last())).containsExactly("/a/");

    Files.writeString(dir.resolve("a.yaml"), mapping("a", "/a-fixed/", 100));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> prefixes(last()).equals(List.of("/a-fixed/")));
    assertThat(last().problems()).isEmpty();
  }
}
