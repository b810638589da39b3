package dev.gatehouse.diagnostics;

/** The "explain this request" form of the diag page; the answer is shown below it. */
final class ExplainForm {
  private ExplainForm() {}

  static final String HTML =
      "<h2>Explain a request</h2><form id=\"explain\"><label>Method <input name=\"method\""
          + " value=\"GET\" size=\"6\"></label><label>Scheme <select name=\"scheme\"><option>http"
          + "</option><option>https</option></select></label><label>Host <input name=\"host\""
          + " value=\"localhost\"></label><label>Path <input name=\"path\" value=\"/\""
          + " size=\"40\"></label><label>Headers <textarea name=\"headers\" rows=\"2\" cols=\"30\""
          + " placeholder=\"Name: Value, one a line\"></textarea></label>"
          + "<button type=\"submit\" id=\"explain-submit\">Explain</button></form>"
          + "<div id=\"explain-result\"></div>"
          + "<script>document.getElementById('explain').addEventListener('submit',function(ev){"
          + "ev.preventDefault();var f=ev.target;var q=new URLSearchParams();"
          + "['method','scheme','host','path'].forEach(function(n){q.append(n,f.elements[n].value);});"
          + "f.elements.headers.value.split('\\n').forEach(function(h){if(h.trim())"
          + "q.append('header',h.trim());});q.append('html','true');"
          + "fetch('/ambassador/v0/explain?'+q.toString()).then(function(r){return r.text();})"
          + ".then(function(t){document.getElementById('explain-result').innerHTML=t;});});"
          + "</script>";

  /** The answer as a fragment: the text, preformatted. */
  static String result(String text) {
    return "<pre id=\"explain-text\">" + escape(text) + "</pre>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
