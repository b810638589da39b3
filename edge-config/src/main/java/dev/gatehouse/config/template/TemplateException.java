package dev.gatehouse.config.template;

/** A template that does not compile, with the offset of the problem. */
public final class TemplateException extends IllegalArgumentException {
  public TemplateException(String source, int offset, String problem) {
    super("template " + quote(source) + " at offset " + offset + ": " + problem);
  }

  private static String quote(String source) {
    return "\"" + source.replace("\"", "\\\"") + "\"";
  }
}
