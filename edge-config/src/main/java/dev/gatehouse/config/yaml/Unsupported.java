package dev.gatehouse.config.yaml;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field that Emissary or Edge Stack documents and Gatehouse accepts but does not act on yet. The
 * loader keeps the value and warns, so existing YAML loads and nobody is misled.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Unsupported {
  /** Why, or what to use instead. */
  String value();
}
