package dev.gatehouse.authz;

import dev.gatehouse.config.auth.HeaderMatch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-rule {@code arguments} of a filter reference, compiled once when the configuration loads:
 * {@code scope}, {@code insteadOfRedirect} and {@code sameSite}. Unknown arguments are errors, as
 * unknown fields are everywhere else.
 *
 * @param scopes required scopes (space-separated string or list in YAML)
 * @param insteadOfRedirect when a browser login would start, answer this status instead
 * @param sameSite the session cookie's SameSite attribute (Lax unless given)
 */
public record FilterArguments(
    Set<String> scopes, InsteadOfRedirect insteadOfRedirect, String sameSite) {

  public static final FilterArguments NONE = new FilterArguments(Set.of(), null, "Lax");

  public FilterArguments {
    // In the order written, for the scope="..." of a challenge.
    scopes = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
  }

  /** When {@code condition} holds (always, if null), deny with {@code status} instead of a 302. */
  public record InsteadOfRedirect(HeaderCondition condition, int status) {}

  /** Compiles the arguments map; throws IllegalArgumentException naming the bad argument. */
  @SuppressWarnings("unchecked")
  public static FilterArguments parse(Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return NONE;
    }
    Set<String> scopes = new LinkedHashSet<>();
    InsteadOfRedirect instead = null;
    String sameSite = "Lax";
    for (Map.Entry<String, Object> argument : arguments.entrySet()) {
      Object value = argument.getValue();
      switch (argument.getKey()) {
        case "scope" -> scopes.addAll(scopeList(value));
        case "sameSite" -> sameSite = sameSite(value);
        case "insteadOfRedirect" -> {
          if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(
                "arguments.insteadOfRedirect: " + value + " (expected: a map)");
          }
          instead = insteadOfRedirect((Map<String, Object>) map);
        }
        default ->
            throw new IllegalArgumentException(
                "arguments."
                    + argument.getKey()
                    + ": unknown argument (expected: scope, insteadOfRedirect or sameSite)");
      }
    }
    return new FilterArguments(scopes, instead, sameSite);
  }

  private static List<String> scopeList(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof String text) {
      for (String s : text.trim().split("\\s+")) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        out.addAll(scopeList(String.valueOf(item)));
      }
    } else {
      throw new IllegalArgumentException(
          "arguments.scope: " + value + " (expected: a string or a list of strings)");
    }
    return out;
  }

  private static String sameSite(Object value) {
    for (String allowed : List.of("Lax", "Strict", "None")) {
      if (allowed.equalsIgnoreCase(String.valueOf(value))) {
        return allowed;
      }
    }
    throw new IllegalArgumentException(
        "arguments.sameSite: " + value + " (expected: Lax, Strict or None)");
  }

  @SuppressWarnings("unchecked")
  private static InsteadOfRedirect insteadOfRedirect(Map<String, Object> map) {
    HeaderCondition condition = null;
    int status = 403;
    for (Map.Entry<String, Object> field : map.entrySet()) {
      Object value = field.getValue();
      switch (field.getKey()) {
        case "httpStatusCode" -> {
          status = value instanceof Number n ? n.intValue() : -1;
          if (status < 400 || status > 599) {
            throw new IllegalArgumentException(
                "arguments.insteadOfRedirect.httpStatusCode: " + value + " (expected: 400..599)");
          }
        }
        case "ifRequestHeader" -> {
          if (!(value instanceof Map<?, ?> header) || !(header.get("name") instanceof String)) {
            throw new IllegalArgumentException(
                "arguments.insteadOfRedirect.ifRequestHeader: "
                    + value
                    + " (expected: {name, negate, value | valueRegex})");
          }
          Map<String, Object> h = (Map<String, Object>) header;
          condition =
              HeaderCondition.of(
                  new HeaderMatch(
                      (String) h.get("name"),
                      Boolean.TRUE.equals(h.get("negate")),
                      h.get("value") == null ? null : String.valueOf(h.get("value")),
                      h.get("valueRegex") == null ? null : String.valueOf(h.get("valueRegex"))));
        }
        default ->
            throw new IllegalArgumentException(
                "arguments.insteadOfRedirect."
                    + field.getKey()
                    + ": unknown field (expected: ifRequestHeader, httpStatusCode)");
      }
    }
    return new InsteadOfRedirect(condition, status);
  }
}
