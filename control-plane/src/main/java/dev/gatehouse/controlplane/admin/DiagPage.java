package dev.gatehouse.controlplane.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The diag page for people ({@code /ambassador/v0/diag/} without {@code ?json=true}): the same
 * report as the JSON, as plain HTML tables — problems first, then routes, clusters, resources. The
 * report is the page's live part: a script listens to {@code /ambassador/v0/diag/events} and
 * fetches {@code ?part=live} again on each new configuration.
 */
final class DiagPage {
  private static final String STYLE =
      "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
          + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
          + ".error{color:#b00}.warning{color:#a60}.note{color:#555}form label{margin-right:1em}"
          + "textarea{vertical-align:top}";

  // Refetch the live part on every config event, and once when the stream opens (a configuration
  // applied between this page's rendering and the subscription is not missed).
  private static final String SCRIPT =
      "<script>(function(){var live=document.getElementById('live');"
          + "function refresh(){fetch('/ambassador/v0/diag/?part=live',{cache:'no-store'})"
          + ".then(function(r){return r.text();}).then(function(t){live.innerHTML=t;"
          + "live.setAttribute('data-refreshed',String(Date.now()));});}"
          + "if(window.EventSource){var es=new EventSource('/ambassador/v0/diag/events');"
          + "es.addEventListener('open',refresh);es.addEventListener('config',refresh);}"
          + "else{setInterval(refresh,2000);}})();</script>";

  private DiagPage() {}

  /** The whole page: the extensions' sections, then the live report. */
  static String render(JsonObject diag, String sections) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Gatehouse diagnostics"
        + "</title><style>"
        + STYLE
        + "</style></head><body><h1>Gatehouse diagnostics</h1>"
        + sections
        + "<div id=\"live\">"
        + renderLive(diag)
        + "</div>"
        + SCRIPT
        + "</body></html>";
  }

  /** The report alone, as an HTML fragment. */
  static String renderLive(JsonObject diag) {
    StringBuilder out = new StringBuilder();
    if (!diag.getBoolean("ready", false)) {
      return out.append("<p>No configuration served yet.</p>").toString();
    }
    out.append("<p id=\"generation\" data-generation=\"")
        .append(diag.getLong("generation"))
        .append("\">Configuration ")
        .append(diag.getLong("generation"))
        .append(", applied ")
        .append(escape(diag.getString("applied_at")))
        .append(": ")
        .append(escape(diag.getString("summary")))
        .append(". <a href=\"?json=true\">JSON</a></p>");
    JsonObject xds = diag.getJsonObject("xds");
    out.append("<p>xDS versions: listeners ")
        .append(escape(String.valueOf(xds.getString("listeners_version"))))
        .append(", routes ")
        .append(escape(String.valueOf(xds.getString("routes_version"))))
        .append(", clusters ")
        .append(escape(String.valueOf(xds.getString("clusters_version"))))
        .append("; ")
        .append(xds.getLong("streams"))
        .append(" streams, ")
        .append(xds.getLong("acks"))
        .append(" ACKs, ")
        .append(xds.getLong("nacks"))
        .append(" NACKs</p>");
    out.append("<h2>Problems</h2>");
    JsonArray problems = diag.getJsonArray("problems");
    if (problems.isEmpty()) {
      out.append("<p id=\"problems\">None.</p>");
    } else {
      out.append("<ul id=\"problems\">");
      problems.forEach(p -> out.append("<li class=\"error\">").append(escape(p.toString())));
      out.append("</ul>");
    }
    table(
        out,
        "routes",
        "Routes",
        diag.getJsonArray("routes"),
        new String[] {
          "virtual_host",
          "match",
          "clusters",
          "mappings",
          "sources",
          "ext_authz",
          "filter_policy",
          "rate_limits",
          "limits"
        });
    out.append(
        "<p class=\"note\">Endpoints as configured. Health and outlier ejection are each proxy's"
            + " own state (edge-proxy's admin <code>/clusters</code>); the column below shows it"
            + " when the control plane is given an edge-proxy admin address.</p>");
    table(
        out,
        "clusters",
        "Clusters",
        diag.getJsonArray("clusters"),
        new String[] {
          "name",
          "type",
          "lb_policy",
          "endpoints",
          "health_checks",
          "outlier_detection",
          "tls",
          "endpoint_state"
        });
    table(
        out,
        "resources",
        "Resources",
        diag.getJsonArray("resources"),
        new String[] {"id", "source", "problems"});
    table(
        out,
        "rejected",
        "Rejected",
        diag.getJsonArray("rejected"),
        new String[] {"id", "source", "problems"});
    return out.toString();
  }

  private static void table(
      StringBuilder out, String id, String title, JsonArray rows, String[] columns) {
    out.append("<h2>").append(title).append("</h2><table id=\"").append(id).append("\"><tr>");
    for (String column : columns) {
      out.append("<th>").append(column).append("</th>");
    }
    out.append("</tr>");
    for (Object row : rows) {
      JsonObject object = (JsonObject) row;
      out.append("<tr>");
      for (String column : columns) {
        Object value = object.getValue(column);
        boolean problem = column.equals("problems") && value instanceof JsonArray a && !a.isEmpty();
        out.append(problem ? "<td class=\"error\">" : "<td>")
            .append(escape(cell(value)))
            .append("</td>");
      }
      out.append("</tr>");
    }
    out.append("</table>");
  }

  private static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof JsonArray array) {
      StringBuilder joined = new StringBuilder();
      for (Object item : array) {
        if (!joined.isEmpty()) {
          joined.append("; ");
        }
        joined.append(
            item instanceof JsonObject problem && problem.containsKey("message")
                ? problem.getString("source") + ": " + problem.getString("message")
                : String.valueOf(item));
      }
      return joined.toString();
    }
    return String.valueOf(value);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
