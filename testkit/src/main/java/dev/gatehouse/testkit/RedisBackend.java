package dev.gatehouse.testkit;

/** Where a {@link RedisServer} really runs: a local child process or a container. */
interface RedisBackend {

  /** Starts Redis listening on {@code port} and returns once it answers PING. */
  void start(int port);

  /** Stops Redis: gracefully (SIGTERM) or as a crash would (SIGKILL). */
  void stop(boolean graceful);

  /** The host that clients connect to. */
  String host();

  /** What this backend is, for messages. */
  String description();
}
