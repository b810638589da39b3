package dev.gatehouse.config.template;

import java.util.ArrayList;
import java.util.List;

/** Parses the inside of one {@code {{ ... }}} action. */
final class ActionParser {
  private ActionParser() {}

  static Template.Action parse(String source, int offset, String action) {
    boolean json = false;
    int pipe = action.lastIndexOf('|');
    if (pipe >= 0 && action.indexOf('"', pipe) < 0) {
      String function = action.substring(pipe + 1).trim();
      if (!function.equals("json")) {
        throw new TemplateException(
            source, offset, "unknown function \"" + function + "\" (expected: json)");
      }
      json = true;
      action = action.substring(0, pipe).trim();
    }
    List<String> words = words(source, offset, action);
    if (words.isEmpty()) {
      throw new TemplateException(source, offset, "empty action (expected: .name)");
    }
    if (words.get(0).equals("index")) {
      if (words.size() != 3 || !(isString(words.get(2)) || words.get(2).matches("\\d{1,9}"))) {
        throw new TemplateException(
            source,
            offset,
            "index takes a field and a quoted key or a position (expected: index .a \"key\" or"
                + " index .list 0)");
      }
      List<String> path = fieldPath(source, offset, words.get(1));
      path.add(isString(words.get(2)) ? unquote(words.get(2)) : words.get(2));
      return new Template.Action(List.copyOf(path), null, json);
    }
    List<String> path = fieldPath(source, offset, words.get(0));
    if (words.size() == 1) {
      if (path.get(path.size() - 1).equals("Get")) {
        throw new TemplateException(
            source, offset, "Get needs a header name (expected: Get \"X\")");
      }
      return new Template.Action(List.copyOf(path), null, json);
    }
    if (words.size() == 2 && path.get(path.size() - 1).equals("Get") && isString(words.get(1))) {
      return new Template.Action(
          List.copyOf(path.subList(0, path.size() - 1)), unquote(words.get(1)), json);
    }
    throw new TemplateException(
        source,
        offset,
        "\""
            + action
            + "\" (expected: .field, .httpRequestHeader.Get \"X\" or index .field \"k\")");
  }

  private static List<String> fieldPath(String source, int offset, String word) {
    if (!word.startsWith(".") || word.length() < 2) {
      throw new TemplateException(
          source, offset, "\"" + word + "\" (expected: a field such as .token.Claims.sub)");
    }
    List<String> path = new ArrayList<>();
    for (String name : word.substring(1).split("\\.", -1)) {
      if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
        throw new TemplateException(
            source, offset, "field \"" + word + "\" (expected: names of letters, digits and _)");
      }
      path.add(name);
    }
    return path;
  }

  private static List<String> words(String source, int offset, String action) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < action.length()) {
      char c = action.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int end = i + 1;
        while (end < action.length() && action.charAt(end) != '"') {
          end += action.charAt(end) == '\\' ? 2 : 1;
        }
        if (end >= action.length()) {
          throw new TemplateException(source, offset, "unclosed string (expected: \")");
        }
        words.add(action.substring(i, end + 1));
        i = end + 1;
      } else {
        int end = i;
        while (end < action.length() && !Character.isWhitespace(action.charAt(end))) {
          end++;
        }
        words.add(action.substring(i, end));
        i = end;
      }
    }
    return words;
  }

  private static boolean isString(String word) {
    return word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"");
  }

  private static String unquote(String word) {
    return word.substring(1, word.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
