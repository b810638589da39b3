package dev.gatehouse.config.yaml;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A type whose YAML shape is not a plain record, bound by its own {@link NodeBinder}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BindWith {
  Class<? extends NodeBinder<?>> value();
}
