package dev.gatehouse.config.yaml;

/**
 * Thrown by a record's compact constructor when one of its fields is invalid; the binder turns it
 * into an error at that field's line and path.
 */
public final class FieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the YAML name of the field, or a path below it such as {@code "limits[0].unit"}
   * @param message what is wrong, in the form {@code value (expected: ...)}
   */
  public FieldException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }

  public String detail() {
    return getMessage().substring(field.length() + 2);
  }
}
