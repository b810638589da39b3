package dev.gatehouse.diagnostics.explain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An explanation as lines of text, for the command line and the diag page's form. */
public final class ExplainText {
  private ExplainText() {}

  public static String render(JsonObject explained) {
    StringBuilder out = new StringBuilder();
    JsonObject request = explained.getJsonObject("request");
    out.append("Request: ")
        .append(request.getString("method"))
        .append(' ')
        .append(request.getString("scheme"))
        .append("://")
        .append(request.getString("host"))
        .append(request.getString("path"));
    request.getJsonArray("headers").forEach(h -> out.append("\n  ").append(h));
    out.append("\nVerdict: ").append(explained.getString("verdict")).append('\n');
    if (explained.containsKey("listener")) {
      out.append("Listener: ")
          .append(explained.getString("listener"))
          .append(", routes ")
          .append(explained.getString("route_config"))
          .append('\n');
    }
    JsonObject host = explained.getJsonObject("virtual_host");
    if (host != null) {
      out.append("Virtual host: ")
          .append(host.getString("name"))
          .append(' ')
          .append(host.getJsonArray("domains"))
          .append('\n');
    }
    JsonObject match = explained.getJsonObject("match");
    out.append("\nMatched: ");
    if (match == null) {
      out.append("no route\n");
    } else {
      route(out, match);
    }
    JsonArray misses = explained.getJsonArray("near_misses", new JsonArray());
    if (!misses.isEmpty()) {
      out.append("\nNearest misses:\n");
      for (Object miss : misses) {
        out.append("- ");
        route(out, (JsonObject) miss);
        ((JsonObject) miss)
            .getJsonArray("failed")
            .forEach(f -> out.append("    failed: ").append(f).append('\n'));
      }
    }
    JsonObject action = explained.getJsonObject("action");
    if (action != null) {
      out.append("\nAction: ").append(action.getString("type"));
      if (action.containsKey("status")) {
        out.append(' ').append(action.getValue("status"));
      }
      out.append('\n');
      for (Object c : action.getJsonArray("clusters", new JsonArray())) {
        JsonObject cluster = (JsonObject) c;
        out.append("  cluster ")
            .append(cluster.getString("name"))
            .append(" weight ")
            .append(cluster.getValue("weight"));
        if (cluster.containsKey("error")) {
          out.append(": ").append(cluster.getString("error"));
        } else {
          out.append(", endpoints ")
              .append(cluster.getJsonArray("endpoints"))
              .append(", lb ")
              .append(cluster.getString("lb_policy"));
        }
        out.append('\n');
      }
    }
    JsonObject authz = explained.getJsonObject("authz");
    if (authz != null) {
      out.append("\nAuthorization: ").append(authz.getString("status"));
      if (authz.containsKey("rule")) {
        out.append(", FilterPolicy rule ").append(authz.getString("rule"));
      }
      if (authz.containsKey("result")) {
        out.append(" (").append(authz.getString("result")).append(')');
      }
      out.append('\n');
      for (Object s : authz.getJsonArray("filters", new JsonArray())) {
        JsonObject step = (JsonObject) s;
        out.append("  filter ")
            .append(step.getString("filter"))
            .append(step.getBoolean("applies") ? "" : " (skipped: ifRequestHeader does not hold)")
            .append(step.getBoolean("exists") ? "" : " (missing: denies with 500)")
            .append('\n');
      }
      note(out, authz);
    }
    JsonObject limit = explained.getJsonObject("rate_limit");
    if (limit != null) {
      out.append("\nRate limit: ").append(limit.getString("status"));
      if (limit.containsKey("domain")) {
        out.append(", domain ").append(limit.getString("domain"));
      }
      out.append('\n');
      for (Object d : limit.getJsonArray("descriptors", new JsonArray())) {
        JsonObject descriptor = (JsonObject) d;
        if (!descriptor.getBoolean("sent")) {
          out.append("  descriptor ").append(descriptor.getString("note")).append('\n');
          continue;
        }
        out.append("  descriptor ").append(descriptor.getJsonArray("entries"));
        JsonArray limits = descriptor.getJsonArray("limits");
        out.append(limits.isEmpty() ? ": no limit" : ": " + limits).append('\n');
      }
      note(out, limit);
    }
    return out.toString();
  }

  private static void route(StringBuilder out, JsonObject route) {
    out.append(route.getJsonArray("mappings"))
        .append(" at ")
        .append(route.getJsonArray("sources"))
        .append(", route ")
        .append(route.getString("route"))
        .append(" (")
        .append(route.getString("match"))
        .append(")\n");
  }

  private static void note(StringBuilder out, JsonObject section) {
    if (section.containsKey("note")) {
      out.append("  note: ").append(section.getString("note")).append('\n');
    }
  }
}
