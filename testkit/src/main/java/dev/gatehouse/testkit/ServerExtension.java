package dev.gatehouse.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 life cycle shared by the testkit servers. Registered on a static field or with
 * {@code @ExtendWith}, the server runs once for the test class (and its {@code @Nested} classes);
 * on an instance field, once per test. Before each test a server that a failure drill left stopped
 * is started again, so one test's drill does not leak into the next.
 */
abstract class ServerExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver,
        AutoCloseable {

  private int classScopes;

  /** Starts the server if it is not running. */
  abstract void startServer();

  /** Whether the server is running now. */
  abstract boolean serverRunning();

  /** Stops the server and releases what it holds. */
  @Override
  public abstract void close();

  @Override
  public void beforeAll(ExtensionContext context) {
    classScopes++;
    startServer();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!serverRunning()) {
      startServer();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (classScopes == 0) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (--classScopes == 0) {
      close();
    }
  }

  /** Resolves test and life-cycle method parameters of this extension's own type. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == getClass();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return this;
  }
}
