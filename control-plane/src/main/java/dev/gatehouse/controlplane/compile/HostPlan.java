package dev.gatehouse.controlplane.compile;

import dev.gatehouse.config.Kind;
import dev.gatehouse.config.LoadResult;
import dev.gatehouse.config.Resource;
import dev.gatehouse.config.host.Host;
import dev.gatehouse.config.host.Host.InsecureAction;
import dev.gatehouse.config.host.LabelSelector;
import dev.gatehouse.config.host.TLSContext;
import dev.gatehouse.config.mapping.Mapping;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One served host name: a Host, a TLSContext with {@code hosts}, or the catch-all that stands in
 * when there are neither.
 *
 * @param tls null when the host terminates no TLS
 * @param origin the resource it came from, null for the catch-all
 */
record HostPlan(
    String hostname,
    DownstreamTlsContext tls,
    InsecureAction insecure,
    LabelSelector selector,
    Resource<?> origin) {

  /** {@code host_<name>_<hash>} ({@code host_any} for "*"): from the host name alone. */
  String virtualHostName() {
    return hostname.equals("*")
        ? "host_any"
        : "host_" + Names.slug(hostname.replace("*", "star")) + "_" + Names.hash(hostname, 6);
  }

  /**
   * Whether a Mapping's routes go to this host: its hostname must overlap the host's, and when the
   * Host has a mappingSelector, the Mapping's labels must match it too.
   */
  boolean takes(Resource<Mapping> mapping) {
    if (selector != null && !selector.matches(mapping.labels())) {
      return false;
    }
    return Hostnames.overlap(mapping.spec().effectiveHostname(), hostname);
  }

  /**
   * The hosts to serve, in host-name order. A host name claimed twice keeps its first claimant (by
   * kind, then namespace/name) and the other is reported; Envoy rejects duplicate domains.
   */
  static List<HostPlan> plan(LoadResult resources, CompileContext ctx) {
    Map<String, HostPlan> byName = new LinkedHashMap<>();
    List<Resource<Host>> hosts = new ArrayList<>(resources.ofKind(Kind.HOST, Host.class));
    hosts.sort(Comparator.comparing(Resource::qualifiedName));
    for (Resource<Host> host : hosts) {
      Host spec = host.spec();
      TLSContext context = null;
      if (spec.tlsContext() != null) {
        Resource<TLSContext> named = ctx.tlsContexts.get(spec.tlsContext().name());
        if (named == null) {
          ctx.error(
              host,
              "spec.tlsContext.name",
              "\"" + spec.tlsContext().name() + "\" (expected: the name of a TLSContext)");
          continue;
        }
        context = named.spec();
      }
      DownstreamTlsContext tls = TlsCompiler.forHost(host, context);
      if (!certificatesKnown(
          tls, host, spec.tlsSecret() != null ? "spec.tlsSecret" : "spec.tlsContext", ctx)) {
        continue;
      }
      HostPlan plan =
          new HostPlan(
              spec.hostname(), tls, spec.insecureAction(), spec.effectiveMappingSelector(), host);
      claim(byName, plan, ctx);
    }
    for (Resource<TLSContext> context : ctx.tlsContexts.values()) {
      DownstreamTlsContext tls = TlsCompiler.forContext(context);
      if (tls == null || !certificatesKnown(tls, context, "spec.secret", ctx)) {
        continue;
      }
      for (String hostname : context.spec().hosts()) {
        if (!byName.containsKey(hostname)) {
          claim(byName, new HostPlan(hostname, tls, InsecureAction.REDIRECT, null, context), ctx);
        }
      }
    }
    if (byName.isEmpty()) {
      byName.put("*", new HostPlan("*", null, InsecureAction.ROUTE, null, null));
    }
    List<HostPlan> out = new ArrayList<>(byName.values());
    out.sort(Comparator.comparing(HostPlan::hostname));
    return out;
  }

  /**
   * Whether the Kubernetes Secrets a TLS context names exist (always, in the directory mode, where
   * they are only referenced). A host whose certificate is missing is reported and left out: served
   * without it, its listener would wait for the secret and stop every TLS host.
   */
  private static boolean certificatesKnown(
      DownstreamTlsContext tls, Resource<?> origin, String path, CompileContext ctx) {
    if (tls == null) {
      return true;
    }
    for (var sds : tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigsList()) {
      if (ctx.directory.active() && !ctx.directory.secrets().containsKey(sds.getName())) {
        ctx.error(
            origin,
            path,
            path
                + ": Secret "
                + sds.getName()
                + " not found (expected: a Secret with tls.crt and tls.key, named name.namespace)");
        return false;
      }
    }
    tls.getCommonTlsContext()
        .getTlsCertificateSdsSecretConfigsList()
        .forEach(sds -> ctx.secretsUsed.add(sds.getName()));
    return true;
  }

  private static void claim(Map<String, HostPlan> byName, HostPlan plan, CompileContext ctx) {
    HostPlan before = byName.putIfAbsent(plan.hostname(), plan);
    if (before != null) {
      ctx.error(
          plan.origin(),
          "spec.hostname",
          "\""
              + plan.hostname()
              + "\" is already served by "
              + before.origin().id()
              + " (expected: one Host per host name)");
    }
  }
}
