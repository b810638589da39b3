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
  // Their ids, computed once: a load adds every file's resources by id.
  final String[] ids;
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
    this.ids = this.resources.stream().map(Resource::id).toArray(String[]::new);
    this.problemsBefore = problemsBefore.clone();
    this.rejectedBefore = rejectedBefore.clone();
    this.problems = List.copyOf(problems);
    this.rejected = List.copyOf(rejected);
    this.ignored = ignored;
  }

  /**
   * This file with each resource that equals one of {@code before} (same id, same content, same
   * lines) replaced by that earlier object, so that a consumer recognises the resources an edit did
   * not touch by identity.
   */
  public ParsedFile keepingEqualResourcesOf(ParsedFile before) {
    java.util.Map<String, Resource<?>> earlier = new java.util.HashMap<>();
    for (int i = 0; i < before.resources.size(); i++) {
      earlier.putIfAbsent(before.ids[i], before.resources.get(i));
    }
    List<Resource<?>> kept = new java.util.ArrayList<>(resources.size());
    for (int i = 0; i < resources.size(); i++) {
      Resource<?> old = earlier.get(ids[i]);
      kept.add(old != null && old.equals(resources.get(i)) ? old : resources.get(i));
    }
    return new ParsedFile(
        origin, kept, problemsBefore, rejectedBefore, problems, rejected, ignored);
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
