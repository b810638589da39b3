package dev.gatehouse.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a load has collected so far: resources, rejections and problems, in the order found.
 *
 * <p>Two modes: a load's accumulator rejects a resource whose kind, namespace and name came before;
 * a file's accumulator ({@link #forOneFile()}) keeps every resource and remembers where each one
 * fell among the problems, so that adding the file to a load later ({@link #add(ParsedFile)})
 * reports duplicates exactly where reading it there would have.
 */
final class LoadAccumulator {
  private final List<Resource<?>> resources = new ArrayList<>();
  private final List<LoadResult.Rejected> rejected = new ArrayList<>();
  private final List<ConfigError> problems = new ArrayList<>();
  private final Map<String, Resource<?>> byId;
  private final List<int[]> marks;
  private int ignored;

  private LoadAccumulator(boolean oneFile) {
    this.byId = oneFile ? null : new HashMap<>();
    this.marks = oneFile ? new ArrayList<>() : null;
  }

  LoadAccumulator() {
    this(false);
  }

  static LoadAccumulator forOneFile() {
    return new LoadAccumulator(true);
  }

  /** The list that binders report into directly. */
  List<ConfigError> problems() {
    return problems;
  }

  void warn(Source at, String resource, String message) {
    problems.add(ConfigError.warning(at, resource, message));
  }

  /** Reports an error that rejects a whole file (it could not be read or parsed). */
  void rejectFile(Source at, String origin, String message) {
    problems.add(ConfigError.error(at, null, message));
    rejected.add(new LoadResult.Rejected("file", origin, at));
  }

  /** Reports an error that rejects one object; label is "Kind namespace/name" when known. */
  void reject(Source at, String kind, String label, String message) {
    problems.add(ConfigError.error(at, label, message));
    rejected.add(new LoadResult.Rejected(kind, label == null ? at.toString() : label, at));
  }

  /** Records that the object was rejected, its errors having been reported already. */
  void rejected(String kind, String label, Source at) {
    rejected.add(new LoadResult.Rejected(kind, label, at));
  }

  void ignore() {
    ignored++;
  }

  /** Adds a resource unless one with the same kind, namespace and name came first. */
  void add(Resource<?> resource) {
    if (marks != null) {
      marks.add(new int[] {problems.size(), rejected.size()});
      resources.add(resource);
      return;
    }
    add(resource, resource.id());
  }

  private void add(Resource<?> resource, String id) {
    Resource<?> earlier = byId.putIfAbsent(id, resource);
    if (earlier != null) {
      reject(
          resource.source(),
          resource.kind().yamlName(),
          resource.id(),
          "already defined at " + earlier.source());
      return;
    }
    resources.add(resource);
  }

  /** Adds what a file's accumulator collected, in the order reading it here would have. */
  void add(ParsedFile file) {
    int problem = 0;
    int rejection = 0;
    for (int i = 0; i < file.resources.size(); i++) {
      for (; problem < file.problemsBefore[i]; problem++) {
        problems.add(file.problems.get(problem));
      }
      for (; rejection < file.rejectedBefore[i]; rejection++) {
        rejected.add(file.rejected.get(rejection));
      }
      add(file.resources.get(i), file.ids[i]);
    }
    problems.addAll(file.problems.subList(problem, file.problems.size()));
    rejected.addAll(file.rejected.subList(rejection, file.rejected.size()));
    ignored += file.ignored;
  }

  int errorCount() {
    return (int) problems.stream().filter(ConfigError::isError).count();
  }

  LoadResult toResult() {
    return new LoadResult(resources, rejected, problems, ignored);
  }

  ParsedFile toParsedFile(String origin) {
    int[] problemsBefore = new int[marks.size()];
    int[] rejectedBefore = new int[marks.size()];
    for (int i = 0; i < marks.size(); i++) {
      problemsBefore[i] = marks.get(i)[0];
      rejectedBefore[i] = marks.get(i)[1];
    }
    return new ParsedFile(
        origin, resources, problemsBefore, rejectedBefore, problems, rejected, ignored);
  }
}
