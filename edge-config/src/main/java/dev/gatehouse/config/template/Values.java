package dev.gatehouse.config.template;

import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Looks values up in template data and writes them as text or JSON. */
final class Values {
  private Values() {}

  static Object lookup(Map<String, Object> data, List<String> path, String argument) {
    Object current = data;
    for (String name : path) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(name);
      } else if (current instanceof Fields fields) {
        current = fields.field(name);
      } else if (current instanceof List<?> list && isPosition(name)) {
        int at = Integer.parseInt(name);
        current = at < list.size() ? list.get(at) : null;
      } else {
        return null;
      }
    }
    if (argument != null) {
      if (current instanceof HeaderLookup headers) {
        return headers.get(argument);
      }
      return null;
    }
    return current;
  }

  private static boolean isPosition(String name) {
    return !name.isEmpty() && name.length() < 10 && name.chars().allMatch(Character::isDigit);
  }

  static void appendText(StringBuilder out, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      Iterator<?> it = items.iterator();
      while (it.hasNext()) {
        appendText(out, it.next());
        if (it.hasNext()) {
          out.append(',');
        }
      }
    } else if (value instanceof Map<?, ?>) {
      appendJson(out, value);
    } else if (value instanceof Date date) {
      out.append(date.getTime() / 1000);
    } else if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      out.append(d.longValue());
    } else {
      out.append(value);
    }
  }

  static void appendJson(StringBuilder out, Object value) {
    if (value instanceof Fields fields) {
      value = fields.json();
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean || value instanceof Number) {
      appendText(out, value);
    } else if (value instanceof Date date) {
      out.append(date.getTime() / 1000);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        appendJson(out, String.valueOf(entry.getKey()));
        out.append(':');
        appendJson(out, entry.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection<?> items) {
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        if (!first) {
          out.append(',');
        }
        first = false;
        appendJson(out, item);
      }
      out.append(']');
    } else {
      String text = String.valueOf(value);
      out.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          case '<' -> out.append("\\u003c");
          case '>' -> out.append("\\u003e");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
  }
}
