package dev.gatehouse.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an Ingress ({@code networking.k8s.io/v1}) into the getambassador.io resources that mean the
 * same, as Emissary does, so one loader validates and one compiler compiles both: a Mapping per
 * rule path (and one for the default backend), a TLSContext per TLS entry.
 *
 * <ul>
 *   <li>{@code Exact} becomes {@code prefix_exact}; {@code Prefix} matches whole path elements
 *       ({@code /foo} takes {@code /foo} and {@code /foo/bar}, not {@code /foobar}), as the Ingress
 *       API defines it, through a regex; {@code ImplementationSpecific} is a plain Emissary prefix.
 *   <li>Paths are not rewritten ({@code rewrite: ""}): an Ingress sends the path as it came.
 *   <li>A rule's {@code host} is the Mapping's {@code hostname}; no host means any.
 *   <li>The {@code getambassador.io/ambassador-id} annotation is the resources' {@code
 *       ambassador_id}.
 * </ul>
 */
final class IngressRoutes {
  static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  static final String AMBASSADOR_ID_ANNOTATION = "getambassador.io/ambassador-id";

  /** Finds the number of a named Service port: (namespace, service, port name). */
  interface PortNames {
    Optional<Integer> number(String namespace, String service, String portName);
  }

  /**
   * The resources for one Ingress.
   *
   * @param documents one map per resource, to be written as YAML
   * @param problems what could not be translated, each naming the field
   */
  record Translation(List<Map<String, Object>> documents, List<String> problems) {}

  private IngressRoutes() {}

  /** The controller name Emissary's IngressClass objects give, {@code spec.controller}. */
  static final String CONTROLLER = "getambassador.io/ingress-controller";

  /** The IngressClass annotation that makes a class the cluster's default. */
  static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

  /**
   * The IngressClasses that are ours: the configured name, and every IngressClass object whose
   * {@code spec.controller} is {@link #CONTROLLER}; {@code isDefault} when one of them carries
   * {@link #DEFAULT_CLASS_ANNOTATION} "true", which makes Ingresses without a class ours too.
   */
  record Classes(java.util.Set<String> names, boolean isDefault) {
    /** Only the configured name: no IngressClass objects read. */
    static Classes named(String ingressClass) {
      return new Classes(java.util.Set.of(ingressClass), false);
    }

    static Classes of(String ingressClass, List<IngressClass> objects) {
      java.util.Set<String> names = new java.util.TreeSet<>();
      names.add(ingressClass);
      for (IngressClass object : objects) {
        if (object.getSpec() != null && CONTROLLER.equals(object.getSpec().getController())) {
          names.add(object.getMetadata().getName());
        }
      }
      boolean isDefault = false;
      for (IngressClass object : objects) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        if (names.contains(object.getMetadata().getName())
            && annotations != null
            && "true".equals(annotations.get(DEFAULT_CLASS_ANNOTATION))) {
          isDefault = true;
        }
      }
      return new Classes(java.util.Set.copyOf(names), isDefault);
    }
  }

  /**
   * Whether an Ingress is ours: its {@code ingressClassName}, or else its legacy {@code
   * kubernetes.io/ingress.class} annotation, names one of our classes; an Ingress with neither is
   * ours when one of our classes is the cluster's default.
   */
  static boolean ours(Ingress ingress, Classes classes) {
    if (ingress.getSpec() != null && ingress.getSpec().getIngressClassName() != null) {
      return classes.names().contains(ingress.getSpec().getIngressClassName());
    }
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    if (annotations != null && annotations.get(CLASS_ANNOTATION) != null) {
      return classes.names().contains(annotations.get(CLASS_ANNOTATION));
    }
    return classes.isDefault();
  }

  static Translation translate(Ingress ingress, PortNames ports) {
    String name = ingress.getMetadata().getName();
    String namespace = ingress.getMetadata().getNamespace();
    Map<String, String> annotations =
        ingress.getMetadata().getAnnotations() == null
            ? Map.of()
            : ingress.getMetadata().getAnnotations();
    String ambassadorId = annotations.get(AMBASSADOR_ID_ANNOTATION);
    List<Map<String, Object>> documents = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    var spec = ingress.getSpec();
    if (spec == null) {
      return new Translation(documents, List.of("spec: required field is missing"));
    }
    if (spec.getDefaultBackend() != null) {
      service(spec.getDefaultBackend(), namespace, ports, "spec.defaultBackend", problems)
          .ifPresent(
              service -> {
                Map<String, Object> mapping = mappingSpec("*", "/", false, false, service);
                documents.add(
                    resource("Mapping", name + "-default", namespace, mapping, ambassadorId));
              });
    }
    List<IngressRule> rules = spec.getRules() == null ? List.of() : spec.getRules();
    for (int r = 0; r < rules.size(); r++) {
      IngressRule rule = rules.get(r);
      String host = rule.getHost() == null || rule.getHost().isEmpty() ? "*" : rule.getHost();
      if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
        continue;
      }
      List<HTTPIngressPath> paths = rule.getHttp().getPaths();
      for (int p = 0; p < paths.size(); p++) {
        HTTPIngressPath path = paths.get(p);
        String at = "spec.rules[" + r + "].http.paths[" + p + "]";
        Optional<String> service =
            service(path.getBackend(), namespace, ports, at + ".backend", problems);
        if (service.isEmpty()) {
          continue;
        }
        String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
        String type = path.getPathType() == null ? "ImplementationSpecific" : path.getPathType();
        Map<String, Object> mapping;
        switch (type) {
          case "Exact" -> mapping = mappingSpec(host, value, true, false, service.get());
          case "Prefix" -> {
            String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            mapping =
                trimmed.isEmpty()
                    ? mappingSpec(host, "/", false, false, service.get())
                    : mappingSpec(host, re2Literal(trimmed) + "(/.*)?", false, true, service.get());
          }
          case "ImplementationSpecific" ->
              mapping = mappingSpec(host, value, false, false, service.get());
          default -> {
            problems.add(
                at
                    + ".pathType: \""
                    + type
                    + "\" (expected: Exact, Prefix or ImplementationSpecific)");
            continue;
          }
        }
        documents.add(
            resource("Mapping", name + "-" + r + "-" + p, namespace, mapping, ambassadorId));
      }
    }
    List<IngressTLS> tls = spec.getTls() == null ? List.of() : spec.getTls();
    for (int t = 0; t < tls.size(); t++) {
      IngressTLS entry = tls.get(t);
      if (entry.getSecretName() == null || entry.getHosts() == null || entry.getHosts().isEmpty()) {
        problems.add(
            "spec.tls["
                + t
                + "]: needs hosts and a secretName (expected: both, as Gatehouse"
                + " serves TLS by host name)");
        continue;
      }
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("hosts", List.copyOf(entry.getHosts()));
      context.put("secret", entry.getSecretName());
      documents.add(resource("TLSContext", name + "-tls-" + t, namespace, context, ambassadorId));
    }
    return new Translation(documents, problems);
  }

  private static Map<String, Object> mappingSpec(
      String host, String prefix, boolean exact, boolean regex, String service) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("hostname", host);
    spec.put("prefix", prefix);
    if (exact) {
      spec.put("prefix_exact", true);
    }
    if (regex) {
      spec.put("prefix_regex", true);
    }
    spec.put("rewrite", "");
    spec.put("service", service);
    return spec;
  }

  private static Map<String, Object> resource(
      String kind, String name, String namespace, Map<String, Object> spec, String ambassadorId) {
    if (ambassadorId != null) {
      spec.put(
          "ambassador_id", List.of(ambassadorId.split(",")).stream().map(String::strip).toList());
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", AmbassadorKinds.GROUP + "/" + AmbassadorKinds.VERSION);
    out.put("kind", kind);
    out.put("metadata", metadata);
    out.put("spec", spec);
    return out;
  }

  /** {@code name.namespace:port} of a Service backend; resource backends are not supported. */
  private static Optional<String> service(
      IngressBackend backend, String namespace, PortNames ports, String at, List<String> problems) {
    if (backend == null || backend.getService() == null) {
      problems.add(
          at
              + ".service: required (expected: a Service backend; resource backends are"
              + " not supported)");
      return Optional.empty();
    }
    var service = backend.getService();
    var port = service.getPort();
    Integer number = port == null ? null : port.getNumber();
    if (number == null && port != null && port.getName() != null) {
      number = ports.number(namespace, service.getName(), port.getName()).orElse(null);
      if (number == null) {
        problems.add(
            at
                + ".service.port.name: \""
                + port.getName()
                + "\" (expected: a port name of Service "
                + namespace
                + "/"
                + service.getName()
                + ")");
        return Optional.empty();
      }
    }
    if (number == null) {
      problems.add(at + ".service.port: required field is missing");
      return Optional.empty();
    }
    return Optional.of(service.getName() + "." + namespace + ":" + number);
  }

  /** A path as an RE2 literal: punctuation escaped. */
  static String re2Literal(String path) {
    StringBuilder out = new StringBuilder();
    for (char c : path.toCharArray()) {
      if (Character.isLetterOrDigit(c) || c == '/' || c == '_' || c > 127) {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    return out.toString();
  }
}
