package dev.gatehouse.testkit;

import java.time.Duration;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** Redis in a {@code redis:7-alpine} container, its port published on a fixed host port. */
final class ContainerRedis implements RedisBackend {

  private static final DockerImageName IMAGE = DockerImageName.parse("redis:7-alpine");
  private static final int REDIS_PORT = 6379;

  private GenericContainer<?> container;

  @Override
  public void start(int port) {
    // A fresh container per start; the fixed host port is what lets a failure drill stop and
    // start Redis while clients keep the address they were given.
    GenericContainer<?> created =
        new GenericContainer<>(IMAGE)
            .withExposedPorts(REDIS_PORT)
            .withCommand("redis-server", "--save", "", "--appendonly", "no")
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1))
            .withStartupTimeout(Duration.ofSeconds(60));
    created.setPortBindings(List.of(port + ":" + REDIS_PORT));
    created.start();
    container = created;
    String host = host();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!RedisPing.ping(host, port, Duration.ofMillis(200))) {
      if (System.nanoTime() > deadline) {
        stop(false);
        throw new IllegalStateException(
            "redis container " + IMAGE + " did not answer PING on " + host + ":" + port);
      }
      LocalRedisProcess.pause(Duration.ofMillis(10));
    }
  }

  @Override
  public void stop(boolean graceful) {
    if (container == null) {
      return;
    }
    if (!graceful && container.getContainerId() != null) {
      container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
    }
    container.stop();
    container = null;
  }

  @Override
  public String host() {
    String host = container == null ? "localhost" : container.getHost();
    return "localhost".equals(host) ? LocalRedisProcess.HOST : host;
  }

  @Override
  public String description() {
    return "container " + IMAGE;
  }
}
