package dev.gatehouse.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a load has collected so far: resources, rejections and problems, in the order found. */
final class LoadAccumulator {
  private final List<Resource<?>> resources = new ArrayList<>();
  private final List<LoadResult.Rejected> rejected = new ArrayList<>();
  private final List<ConfigError> problems = new ArrayList<>();
  private final Map<String, Resource<?>> byId = new HashMap<>();
  private int ignored;

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
    Resource<?> earlier = byId.putIfAbsent(resource.id(), resource);
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

  int errorCount() {
    return (int) problems.stream().filter(ConfigError::isError).count();
  }

  LoadResult toResult() {
    return new LoadResult(resources, rejected, problems, ignored);
  }
}
