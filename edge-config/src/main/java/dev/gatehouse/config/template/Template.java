package dev.gatehouse.config.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled text template in the small subset of Go's text/template that Edge Stack users write in
 * {@code injectRequestHeaders} and {@code errorResponse}: literal text and actions {@code {{ .a.b.c
 * }}}, {@code {{ .httpRequestHeader.Get "X" }}}, {@code {{ index .a.b "key-with-dash" }}}, each
 * optionally piped to {@code | json}. There are no functions beyond those, no loops and no way to
 * run code: a template only reads the data it is given. Immutable and thread-safe.
 */
public final class Template {
  private final String source;
  private final List<Part> parts;

  private Template(String source, List<Part> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
  }

  /** Compiles {@code source}; throws {@link TemplateException} saying where and why it is wrong. */
  public static Template compile(String source) {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < source.length()) {
      int open = source.indexOf("{{", at);
      if (open < 0) {
        parts.add(new Literal(source.substring(at)));
        break;
      }
      if (open > at) {
        parts.add(new Literal(source.substring(at, open)));
      }
      int close = source.indexOf("}}", open + 2);
      if (close < 0) {
        throw new TemplateException(source, open, "unclosed action (expected: }})");
      }
      String action = source.substring(open + 2, close);
      // Go's whitespace-trimming markers {{- and -}} are accepted and trim nothing here.
      if (action.startsWith("-")) {
        action = action.substring(1);
      }
      if (action.endsWith("-")) {
        action = action.substring(0, action.length() - 1);
      }
      parts.add(ActionParser.parse(source, open, action.trim()));
      at = close + 2;
    }
    return new Template(source, parts);
  }

  /** The text for {@code data}; names that are missing render as nothing. */
  public String render(Map<String, Object> data) {
    if (parts.size() == 1 && parts.get(0) instanceof Literal literal) {
      return literal.text();
    }
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      part.appendTo(out, data);
    }
    return out.toString();
  }

  /**
   * As {@link #render}, made safe for an HTTP header value: control characters (CR and LF above
   * all, which would let a claim inject headers) become spaces.
   */
  public String renderHeaderValue(Map<String, Object> data) {
    String text = render(data);
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        if (out == null) {
          out = new StringBuilder(text);
        }
        out.setCharAt(i, ' ');
      }
    }
    return out == null ? text : out.toString();
  }

  @Override
  public String toString() {
    return source;
  }

  /** A piece of a template. */
  sealed interface Part permits Literal, Action {
    void appendTo(StringBuilder out, Map<String, Object> data);
  }

  /** Text copied as written. */
  record Literal(String text) implements Part {
    @Override
    public void appendTo(StringBuilder out, Map<String, Object> data) {
      out.append(text);
    }
  }

  /** A value looked up in the data, optionally with a string argument, optionally as JSON. */
  record Action(List<String> path, String argument, boolean json) implements Part {
    @Override
    public void appendTo(StringBuilder out, Map<String, Object> data) {
      Object value = Values.lookup(data, path, argument);
      if (json) {
        Values.appendJson(out, value);
      } else {
        Values.appendText(out, value);
      }
    }
  }
}
