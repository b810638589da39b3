package dev.gatehouse.diagnostics.portal;

import java.util.List;

/** The portal's HTML: the list of APIs, and one Swagger UI page per API. */
final class PortalPages {
  private static final String STYLE =
      "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
          + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
          + ".error{color:#b00}";

  private PortalPages() {}

  static String index(List<ApiDoc> apis) {
    StringBuilder out =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Gatehouse developer portal"
                + "</title><style>"
                + STYLE
                + "</style></head><body><h1>APIs</h1>");
    if (apis.isEmpty()) {
      out.append("<p id=\"no-apis\">No Mapping has a <code>docs</code> field.</p>");
    } else {
      out.append(
          "<table id=\"apis\"><tr><th>API</th><th>Mapping</th><th>Document</th><th>Status</th>"
              + "</tr>");
      for (ApiDoc api : apis) {
        out.append("<tr class=\"api\" data-api=\"").append(escape(api.id())).append("\"><td>");
        if (api.document() != null) {
          out.append("<a href=\"/docs/api/")
              .append(escape(api.id()))
              .append("/\">")
              .append(escape(api.displayName()))
              .append("</a>");
        } else {
          out.append(escape(api.displayName()));
        }
        out.append("</td><td>")
            .append(escape(api.mapping()))
            .append("<br><small>")
            .append(escape(api.source()))
            .append("</small></td><td>")
            .append(escape(api.url()))
            .append("</td>");
        if (api.error() != null) {
          out.append("<td class=\"error\">").append(escape(api.error()));
        } else {
          out.append("<td>fetched ").append(api.fetchedAt());
        }
        out.append("</td></tr>");
      }
      out.append("</table>");
    }
    return out.append("<p><a href=\"/ambassador/v0/diag/\">Diagnostics</a></p></body></html>")
        .toString();
  }

  static String api(ApiDoc api) {
    String id = escape(api.id());
    StringBuilder out =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
                + escape(api.displayName())
                + " - Gatehouse developer portal</title>"
                + "<link rel=\"stylesheet\" href=\"/docs/swagger-ui/swagger-ui.css\">"
                + "</head><body><p style=\"font-family:sans-serif;margin:1em 2em\">"
                + "<a href=\"/docs/\">All APIs</a> &middot; "
                + escape(api.displayName())
                + " &middot; <small>"
                + escape(api.mapping())
                + "</small></p>");
    if (api.document() == null) {
      return out.append("<p class=\"error\" style=\"margin:1em 2em\">")
          .append(escape(String.valueOf(api.error())))
          .append("</p></body></html>")
          .toString();
    }
    // filter: Swagger UI's search box over tags and operations.
    return out.append("<div id=\"swagger-ui\"></div>")
        .append("<script src=\"/docs/swagger-ui/swagger-ui-bundle.js\"></script>")
        .append("<script>window.ui=SwaggerUIBundle({url:'/docs/api/")
        .append(id)
        .append("/openapi',dom_id:'#swagger-ui',filter:true,deepLinking:true,")
        .append("presets:[SwaggerUIBundle.presets.apis],layout:'BaseLayout'});</script>")
        .append("</body></html>")
        .toString();
  }

  static String escape(String text) {
    return text == null
        ? ""
        : text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;")
            .replace("'", "&#39;");
  }
}
