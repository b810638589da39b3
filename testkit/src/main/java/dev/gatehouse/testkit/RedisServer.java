package dev.gatehouse.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * A real Redis for tests: a {@code redis:7-alpine} container when Docker is available, otherwise a
 * local {@code redis-server} child process. Once started it keeps its port across {@link #stop()}
 * and {@link #start()}, so failure drills can take Redis away and bring it back mid-test.
 *
 * <p>The choice can be forced with the system property {@code gatehouse.testkit.redis} or the
 * environment variable {@code GATEHOUSE_TESTKIT_REDIS}: {@code auto} (default), {@code docker} or
 * {@code local}.
 */
public final class RedisServer implements AutoCloseable {

  static final String NO_REDIS =
      "no Redis for tests: Docker is not available and redis-server is not on PATH"
          + " (install it: apt-get install -y redis-server, or start a Docker daemon)";
  private static final int FIRST_START_ATTEMPTS = 3;

  private final RedisBackend backend;
  private int port;
  private boolean running;

  private RedisServer(RedisBackend backend) {
    this.backend = backend;
  }

  /** A server on whichever backend is available (see the class comment); not yet started. */
  public static RedisServer create() {
    String mode =
        System.getProperty(
            "gatehouse.testkit.redis",
            Optional.ofNullable(System.getenv("GATEHOUSE_TESTKIT_REDIS")).orElse("auto"));
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "local":
        return local();
      case "docker":
        return new RedisServer(new ContainerRedis());
      case "auto":
        if (DockerClientFactory.instance().isDockerAvailable()) {
          return new RedisServer(new ContainerRedis());
        }
        Optional<Path> binary = LocalRedisProcess.findOnPath();
        if (binary.isEmpty()) {
          throw new IllegalStateException(NO_REDIS);
        }
        return new RedisServer(new LocalRedisProcess(binary.get()));
      default:
        throw new IllegalArgumentException(
            "gatehouse.testkit.redis: " + mode + " (expected: auto, docker or local)");
    }
  }

  /** A server that runs {@code redis-server} from PATH as a child process; not yet started. */
  public static RedisServer local() {
    Path binary =
        LocalRedisProcess.findOnPath()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "redis-server is not on PATH (install it: apt-get install -y"
                            + " redis-server)"));
    return new RedisServer(new LocalRedisProcess(binary));
  }

  /**
   * Starts Redis and returns once it answers PING. The first start picks a free port; later starts
   * reuse it. Does nothing if already running.
   */
  public synchronized RedisServer start() {
    if (running) {
      return this;
    }
    if (port != 0) {
      backend.start(port);
    } else {
      startOnFreshPort();
    }
    running = true;
    return this;
  }

  private void startOnFreshPort() {
    // Another process may take the free port between choosing it and redis binding it.
    RuntimeException last = null;
    for (int attempt = 0; attempt < FIRST_START_ATTEMPTS; attempt++) {
      int candidate = FreePorts.next();
      try {
        backend.start(candidate);
        port = candidate;
        return;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  /** Stops Redis gracefully (its data is gone: nothing is persisted); {@link #start()} restarts. */
  public synchronized void stop() {
    backend.stop(true);
    running = false;
  }

  /** Kills Redis as a crash would (SIGKILL); {@link #start()} restarts it on the same port. */
  public synchronized void kill() {
    backend.stop(false);
    running = false;
  }

  /** Whether Redis was started and not stopped since. */
  public synchronized boolean isRunning() {
    return running;
  }

  /** Whether Redis answers PING right now. */
  public boolean ping() {
    return port != 0 && RedisPing.ping(host(), port, Duration.ofSeconds(1));
  }

  /** The host to connect to, {@code 127.0.0.1} for a local server. */
  public String host() {
    return backend.host();
  }

  /** The port Redis listens on; fixed from the first start on. */
  public synchronized int port() {
    if (port == 0) {
      throw new IllegalStateException("redis: not started yet (expected: start() first)");
    }
    return port;
  }

  /** {@code redis://host:port}, as Redis clients take it. */
  public String uri() {
    return "redis://" + host() + ":" + port();
  }

  /** Which backend runs this server, e.g. {@code local /usr/bin/redis-server}. */
  public String description() {
    return backend.description();
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "RedisServer[" + description() + (port == 0 ? "" : ", port " + port) + "]";
  }
}
