package dev.gatehouse.controlplane.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The diag page for people ({@code /ambassador/v0/diag/} without {@code ?json=true}): the same
 * report as the JSON, as plain HTML tables — problems first, then routes, clusters, resources.
 */
final class DiagPage {
  private DiagPage() {}

  static String render(JsonObject diag) {
    StringBuilder out =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Gatehouse diagnostics"
                + "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
                + "collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 8px;"
                + "text-align:left;vertical-align:top}.error{color:#b00}</style></head><body>"
                + "<h1>Gatehouse diagnostics</h1>");
    if (!diag.getBoolean("ready", false)) {
      return out.append("<p>No configuration served yet.</p></body></html>").toString();
    }
    out.append("<p>Configuration ")
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
      out.append("<p>None.</p>");
    } else {
      out.append("<ul>");
      problems.forEach(p -> out.append("<li class=\"error\">").append(escape(p.toString())));
      out.append("</ul>");
    }
    table(
        out,
        "Routes",
        diag.getJsonArray("routes"),
        new String[] {"route_config", "virtual_host", "match", "clusters", "mappings", "sources"});
    table(
        out,
        "Clusters",
        diag.getJsonArray("clusters"),
        new String[] {"name", "type", "lb_policy", "endpoint", "tls"});
    table(
        out,
        "Resources",
        diag.getJsonArray("resources"),
        new String[] {"id", "source", "problems"});
    return out.append("</body></html>").toString();
  }

  private static void table(StringBuilder out, String title, JsonArray rows, String[] columns) {
    out.append("<h2>").append(title).append("</h2><table><tr>");
    for (String column : columns) {
      out.append("<th>").append(column).append("</th>");
    }
    out.append("</tr>");
    for (Object row : rows) {
      JsonObject object = (JsonObject) row;
      out.append("<tr>");
      for (String column : columns) {
        out.append("<td>").append(escape(cell(object.getValue(column)))).append("</td>");
      }
      out.append("</tr>");
    }
    out.append("</table>");
  }

  private static String cell(Object value) {
    if (value instanceof JsonArray array) {
      StringBuilder joined = new StringBuilder();
      for (Object item : array) {
        if (!joined.isEmpty()) {
          joined.append(", ");
        }
        joined.append(
            item instanceof JsonObject problem
                ? problem.getString("message")
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
