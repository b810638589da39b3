package dev.gatehouse.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;

/**
 * JUnit 5 extension that gives tests a real Redis (see {@link RedisServer} for where it runs).
 *
 * <pre>{@code
 * @RegisterExtension static RedisExtension redis = new RedisExtension();
 * }</pre>
 *
 * <p>or {@code @ExtendWith(RedisExtension.class)} with a {@code RedisExtension} or {@code
 * RedisServer} parameter. Failure drills call {@link #stop()} or {@link #kill()} and then {@link
 * #start()}: the port stays the same.
 */
public final class RedisExtension extends ServerExtension {

  private RedisServer server;

  /** The underlying server; created (not started) on first use. */
  public synchronized RedisServer server() {
    if (server == null) {
      server = RedisServer.create();
    }
    return server;
  }

  /** Starts Redis, on the same port as before if it ran already. */
  public RedisExtension start() {
    server().start();
    return this;
  }

  /** Stops Redis gracefully; {@link #start()} brings it back on the same port. */
  public void stop() {
    server().stop();
  }

  /** Kills Redis as a crash would; {@link #start()} brings it back on the same port. */
  public void kill() {
    server().kill();
  }

  /** {@code 127.0.0.1} for a local server. */
  public String host() {
    return server().host();
  }

  public int port() {
    return server().port();
  }

  /** {@code redis://127.0.0.1:PORT}. */
  public String uri() {
    return server().uri();
  }

  @Override
  void startServer() {
    start();
  }

  @Override
  boolean serverRunning() {
    return server != null && server.isRunning();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return super.supportsParameter(parameter, context)
        || parameter.getParameter().getType() == RedisServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisServer.class ? server() : this;
  }
}
