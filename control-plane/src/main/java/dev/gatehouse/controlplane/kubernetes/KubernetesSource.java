package dev.gatehouse.controlplane.kubernetes;

import dev.gatehouse.config.ConfigError;
import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.ParsedFile;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.ResourceLoader;
import dev.gatehouse.config.Source;
import dev.gatehouse.config.distribution.PublishedDocument;
import dev.gatehouse.config.watch.LastGood;
import dev.gatehouse.controlplane.compile.ClusterDirectory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration from Kubernetes with fabric8 informers: the getambassador.io kinds (as
 * generic resources, each fed to edge-config's loader as YAML named {@code
 * kubernetes:Kind/namespace/name}, so the same validation applies), Ingresses of our class
 * (translated by {@link IngressRoutes}), and Services, EndpointSlices and Secrets (the {@link
 * ClusterDirectory} for EDS and SDS). A change is applied once the cluster has been quiet for the
 * quiet period, so a burst makes one configuration; what a change rejects keeps its last good
 * version ({@link LastGood}), and a deleted object is gone.
 *
 * <p>The listener runs on this source's own thread, one call at a time.
 */
public final class KubernetesSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSource.class);

  /** One reading of the cluster. */
  public record Snapshot(LoadResult loaded, ClusterDirectory directory) {}

  private final KubernetesClient client;
  private final KubernetesOptions options;
  private final String ambassadorId;
  private final Consumer<Snapshot> listener;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "gatehouse-kubernetes");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<Kind, SharedIndexInformer<GenericKubernetesResource>> crds =
      new EnumMap<>(Kind.class);
  private final List<SharedIndexInformer<?>> all = new ArrayList<>();
  private final CustomResourceTexts texts;
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<EndpointSlice> slices;
  private SharedIndexInformer<Secret> secrets;
  private SharedIndexInformer<Ingress> ingresses;
  private SharedIndexInformer<IngressClass> ingressClasses;

  // Only touched on the executor's thread.
  private LoadResult current;
  private long lastChange;
  private boolean scheduled;
  private Map<String, String> acceptedTexts = new HashMap<>();
  // Renderings by origin and resourceVersion: an unchanged object is not rendered again.
  private Map<String, String> rendered = new HashMap<>();
  // Parses by origin, with the text parsed: an object whose rendering did not change is not parsed
  // again, and keeps its Resource objects, which the incremental compiler recognises by identity.
  private Map<String, Parsed> parsed = new HashMap<>();

  private record Parsed(String text, ParsedFile file) {}

  public KubernetesSource(
      KubernetesClient client,
      KubernetesOptions options,
      String ambassadorId,
      Consumer<Snapshot> listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.options = Objects.requireNonNull(options, "options");
    this.ambassadorId = Objects.requireNonNull(ambassadorId, "ambassadorId");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.texts = new CustomResourceTexts(client.getKubernetesSerialization());
  }

  private Secret secret(String namespace, String name) {
    return secrets == null ? null : secrets.getStore().getByKey(namespace + "/" + name);
  }

  /**
   * Starts the informers (blocking until each has listed once), reads the cluster, hands the first
   * configuration to the listener, then follows changes. A getambassador.io kind whose CRD is not
   * installed is skipped with a warning (Emissary without Edge Stack has no Filter CRD).
   */
  public LoadResult start() {
    Map<Kind, SharedIndexInformer<GenericKubernetesResource>> kinds = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      var operation = client.genericKubernetesResources(AmbassadorKinds.context(kind));
      kinds.put(
          kind,
          informer(
              options.namespace() == null
                  ? operation.inAnyNamespace()
                  : operation.inNamespace(options.namespace()),
              KubernetesSource::specChanged));
    }
    SharedIndexInformer<Service> serviceInformer =
        informer(scope(client.services()), (a, b) -> true);
    SharedIndexInformer<EndpointSlice> sliceInformer =
        informer(scope(client.discovery().v1().endpointSlices()), (a, b) -> true);
    SharedIndexInformer<Secret> secretInformer = informer(scope(client.secrets()), (a, b) -> true);
    SharedIndexInformer<Ingress> ingressInformer =
        informer(
            scope(client.network().v1().ingresses()),
            (a, b) ->
                !Objects.equals(a.getSpec(), b.getSpec())
                    || !Objects.equals(
                        a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations()));
    // Cluster-scoped; without the right to list them (a namespaced install) only the configured
    // class name counts.
    SharedIndexInformer<IngressClass> classInformer =
        informer(
            client.network().v1().ingressClasses(),
            (a, b) ->
                !Objects.equals(a.getSpec(), b.getSpec())
                    || !Objects.equals(
                        a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations()));
    // All list at once: one slow or failing kind does not hold the others back.
    Map<String, SharedIndexInformer<?>> starting = new LinkedHashMap<>();
    kinds.forEach(
        (kind, informer) -> starting.put("getambassador.io " + kind.yamlName(), informer));
    starting.put("Services", serviceInformer);
    starting.put("EndpointSlices", sliceInformer);
    starting.put("Secrets", secretInformer);
    starting.put("Ingresses", ingressInformer);
    starting.put("IngressClasses", classInformer);
    Map<String, java.util.concurrent.CompletableFuture<Void>> started = new LinkedHashMap<>();
    starting.forEach((what, informer) -> started.put(what, informer.start().toCompletableFuture()));
    List<String> failures = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Map.Entry<String, java.util.concurrent.CompletableFuture<Void>> entry :
        started.entrySet()) {
      SharedIndexInformer<?> informer = starting.get(entry.getKey());
      if (await(entry.getKey(), entry.getValue(), deadline, failures)) {
        all.add(informer);
      } else {
        informer.stop();
      }
    }
    if (all.isEmpty()) {
      throw new IllegalStateException(
          "cannot list anything from the Kubernetes API "
              + client.getMasterUrl()
              + ": "
              + failures);
    }
    kinds.forEach(
        (kind, informer) -> {
          if (all.contains(informer)) {
            crds.put(kind, informer);
          }
        });
    services = all.contains(serviceInformer) ? serviceInformer : null;
    slices = all.contains(sliceInformer) ? sliceInformer : null;
    secrets = all.contains(secretInformer) ? secretInformer : null;
    ingresses = all.contains(ingressInformer) ? ingressInformer : null;
    ingressClasses = all.contains(classInformer) ? classInformer : null;
    try {
      return executor
          .submit(
              () -> {
                build();
                return current;
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading Kubernetes", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading Kubernetes", e.getCause());
    }
  }

  private <T extends HasMetadata, L> io.fabric8.kubernetes.client.dsl.Informable<T> scope(
      io.fabric8.kubernetes.client.dsl.MixedOperation<T, L, ?> operation) {
    return options.namespace() == null
        ? operation.inAnyNamespace()
        : operation.inNamespace(options.namespace());
  }

  /** Whether an update matters (status writes, ours included, do not). */
  interface Relevant<T> {
    boolean changed(T before, T after);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> informer(
      io.fabric8.kubernetes.client.dsl.Informable<T> source, Relevant<T> relevant) {
    SharedIndexInformer<T> informer = source.runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T object) {
            changed();
          }

          @Override
          public void onUpdate(T before, T after) {
            if (relevant.changed(before, after)) {
              changed();
            }
          }

          @Override
          public void onDelete(T object, boolean finalStateUnknown) {
            changed();
          }
        });
    return informer;
  }

  /** Waits for one informer's first list; a failure is logged and noted, never thrown. */
  private static boolean await(
      String what,
      java.util.concurrent.CompletableFuture<Void> started,
      long deadline,
      List<String> failures) {
    try {
      started.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause.getCause() != null && cause.getMessage() == null) {
        cause = cause.getCause();
      }
      failures.add(what + ": " + cause);
      LOG.warn(
          "cannot watch {} (is its CRD installed, may we list it?): {}", what, cause.toString());
      return false;
    }
  }

  private static boolean specChanged(GenericKubernetesResource a, GenericKubernetesResource b) {
    return !Objects.equals(
            a.getAdditionalProperties().get("spec"), b.getAdditionalProperties().get("spec"))
        || !Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
        || !Objects.equals(a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations());
  }

  /** Called on informer threads: applies after the quiet period. */
  private void changed() {
    long now = System.nanoTime();
    executor.execute(
        () -> {
          lastChange = now;
          if (!scheduled) {
            scheduled = true;
            executor.schedule(this::fire, options.quietPeriod().toMillis(), TimeUnit.MILLISECONDS);
          }
        });
  }

  private void fire() {
    long quietFor = System.nanoTime() - lastChange;
    long quiet = options.quietPeriod().toNanos();
    if (quietFor < quiet) {
      executor.schedule(this::fire, quiet - quietFor, TimeUnit.NANOSECONDS);
      return;
    }
    scheduled = false;
    try {
      build();
    } catch (RuntimeException e) {
      // The next change retries; the last good configuration keeps serving.
      LOG.error("applying a Kubernetes change failed", e);
    }
  }

  private void build() {
    ResourceLoader loader = new ResourceLoader(ambassadorId);
    Map<String, String> nextTexts = new HashMap<>();
    // Texts for the services where they differ from what the loader read: Secrets resolved.
    Map<String, String> published = new HashMap<>();
    List<ConfigError> extraProblems = new ArrayList<>();
    Map<String, String> nextRendered = new HashMap<>();
    Map<String, Parsed> nextParsed = new HashMap<>();
    for (Map.Entry<Kind, SharedIndexInformer<GenericKubernetesResource>> crd : crds.entrySet()) {
      List<GenericKubernetesResource> objects = new ArrayList<>(crd.getValue().getStore().list());
      objects.sort(
          java.util.Comparator.comparing(
              o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()));
      for (GenericKubernetesResource object : objects) {
        String origin = origin(crd.getKey().yamlName(), object);
        String version = origin + "@" + object.getMetadata().getResourceVersion();
        String text = rendered.get(version);
        if (text == null) {
          text = texts.text(object);
        }
        nextRendered.put(version, text);
        nextTexts.put(origin, text);
        loader.add(parse(origin, text, nextParsed));
        if (crd.getKey() == Kind.FILTER) {
          texts
              .withSecrets(object, origin, extraProblems, this::secret)
              .ifPresent(resolved -> published.put(origin, texts.text(resolved)));
        }
      }
    }
    ClusterDirectory directory = Directories.of(list(services), list(slices), list(secrets));
    if (ingresses != null) {
      List<Ingress> ours = new ArrayList<>();
      IngressRoutes.Classes classes = classes();
      for (Ingress ingress : ingresses.getStore().list()) {
        if (IngressRoutes.ours(ingress, classes)) {
          ours.add(ingress);
        }
      }
      ours.sort(
          java.util.Comparator.comparing(
              i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName()));
      for (Ingress ingress : ours) {
        String origin = origin("Ingress", ingress);
        IngressRoutes.Translation translation =
            IngressRoutes.translate(
                ingress, (ns, svc, port) -> portNumber(directory, ns, svc, port));
        StringBuilder text = new StringBuilder();
        translation
            .documents()
            .forEach(d -> text.append(client.getKubernetesSerialization().asYaml(d)).append('\n'));
        nextTexts.put(origin, text.toString());
        loader.addText(text.toString(), origin);
        String id =
            "Ingress "
                + ingress.getMetadata().getNamespace()
                + "/"
                + ingress.getMetadata().getName();
        translation
            .problems()
            .forEach(p -> extraProblems.add(ConfigError.error(Source.of(origin), id, p)));
      }
    }
    LoadResult loaded = loader.result();
    if (!extraProblems.isEmpty()) {
      List<ConfigError> problems = new ArrayList<>(loaded.problems());
      problems.addAll(extraProblems);
      loaded = new LoadResult(loaded.resources(), loaded.rejected(), problems, loaded.ignored());
    }
    LoadResult merged = current == null ? loaded : LastGood.merge(current, loaded);
    Set<Resource<?>> fresh = Collections.newSetFromMap(new IdentityHashMap<>());
    fresh.addAll(loaded.resources());
    Map<String, String> accepted = new HashMap<>();
    for (Resource<?> resource : merged.resources()) {
      String origin = resource.source().origin();
      String text =
          fresh.contains(resource)
              ? published.getOrDefault(origin, nextTexts.get(origin))
              : acceptedTexts.get(origin);
      if (text != null) {
        accepted.put(origin, text);
      }
    }
    acceptedTexts = accepted;
    rendered = nextRendered;
    parsed = nextParsed;
    current = merged;
    listener.accept(new Snapshot(merged, directory));
  }

  /** The object's text parsed, or its parse from the last build when the text is the same. */
  private ParsedFile parse(String origin, String text, Map<String, Parsed> nextParsed) {
    Parsed before = parsed.get(origin);
    ParsedFile file;
    if (before != null && (before.text() == text || before.text().equals(text))) {
      file = before.file();
    } else {
      file = ResourceLoader.parse(text, origin, ambassadorId);
      if (before != null) {
        file = file.keepingEqualResourcesOf(before.file());
      }
    }
    nextParsed.put(origin, new Parsed(text, file));
    return file;
  }

  private static Optional<Integer> portNumber(
      ClusterDirectory directory, String namespace, String service, String portName) {
    ClusterDirectory.KubeService found = directory.services().get(namespace + "/" + service);
    if (found == null) {
      return Optional.empty();
    }
    return found.ports().stream()
        .filter(p -> p.name().equals(portName))
        .map(ClusterDirectory.Port::port)
        .findFirst();
  }

  private static <T> List<T> list(SharedIndexInformer<T> informer) {
    return informer == null ? List.of() : informer.getStore().list();
  }

  /** {@code kubernetes:Kind/namespace/name}: how errors and the diag page name an object. */
  static String origin(String kind, HasMetadata object) {
    return "kubernetes:"
        + kind
        + "/"
        + object.getMetadata().getNamespace()
        + "/"
        + object.getMetadata().getName();
  }

  /**
   * The YAML a served resource loaded from, for the services' configs (ext-authz re-loads it and
   * names errors by the same origin); a resource kept as last good keeps its last good text.
   */
  public Optional<PublishedDocument> document(Resource<?> resource) {
    String origin = resource.source().origin();
    String text = acceptedTexts.get(origin);
    return text == null
        ? Optional.empty()
        : Optional.of(new PublishedDocument(origin, 1, resource.id(), text));
  }

  /** The objects of a kind, as the cache has them now (for status writes). */
  List<GenericKubernetesResource> objects(Kind kind) {
    SharedIndexInformer<GenericKubernetesResource> informer = crds.get(kind);
    return informer == null ? List.of() : informer.getStore().list();
  }

  /** The Ingresses we serve, as the cache has them now. */
  List<Ingress> ourIngresses() {
    if (ingresses == null) {
      return List.of();
    }
    IngressRoutes.Classes classes = classes();
    return ingresses.getStore().list().stream()
        .filter(i -> IngressRoutes.ours(i, classes))
        .toList();
  }

  /** Our IngressClasses as the cache has them now. */
  private IngressRoutes.Classes classes() {
    return ingressClasses == null
        ? IngressRoutes.Classes.named(options.ingressClass())
        : IngressRoutes.Classes.of(options.ingressClass(), ingressClasses.getStore().list());
  }

  KubernetesClient client() {
    return client;
  }

  KubernetesOptions options() {
    return options;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    all.forEach(SharedIndexInformer::stop);
  }
}
