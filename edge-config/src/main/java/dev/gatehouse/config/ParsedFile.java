package dev.gatehouse.config;

import java.util.List;

/**
 * One file read and bound, before the checks that need other files (duplicate names, references):
 * what a watcher keeps per file so that an edit re-parses only the file that changed. {@link
 * ResourceLoader#add(ParsedFile)} adds it to a load exactly as if the file had been read there.
 *
 * <p>Immutable. The {@link Resource} objects are shared by every load the file is added to, so a
 * consumer may recognise an unchanged resource by identity.
 */
public final class ParsedFile {
  private final String origin;
  // Every resource bound, in file order, duplicates included (they are found when added to a load).
  final List<Resource<?>> resources;
  // Per resource: how many of the file's problems and rejections were reported before it.
  final int[] problemsBefore;
  final int[] rejectedBefore;
  final List<ConfigError> problems;
  final List<LoadResult.Rejected> rejected;
  final int ignored;

  ParsedFile(
      String origin,
      List<Resource<?>> resources,
      int[] problemsBefore,
      int[] rejectedBefore,
      List<ConfigError> problems,
      List<LoadResult.Rejected> rejected,
      int ignored) {
    this.origin = origin;
    this.resources = List.copyOf(resources);
    this.problemsBefore = problemsBefore.clone();
    this.rejectedBefore = rejectedBefore.clone();
    this.problems = List.copyOf(problems);
    this.rejected = List.copyOf(rejected);
    this.ignored = ignored;
  }

  /** The name of the file in errors (relative to the loaded directory). */
  public String origin() {
    return origin;
  }

  /** The resources bound from the file, in file order, before any check across files. */
  public List<Resource<?>> resources() {
    return resources;
  }

  /** Whether the file itself could not be read or parsed (its resources keep their last good). */
  public boolean broken() {
    return rejected.stream().anyMatch(r -> r.kind().equals("file"));
  }
}
