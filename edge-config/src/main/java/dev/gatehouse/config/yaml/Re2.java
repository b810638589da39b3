package dev.gatehouse.config.yaml;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A string field (or the values of a map field) that must compile as an RE2 regular expression, the
 * syntax Envoy uses. With {@link #when}, only when the named boolean sibling field is true.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Re2 {
  String when() default "";
}
