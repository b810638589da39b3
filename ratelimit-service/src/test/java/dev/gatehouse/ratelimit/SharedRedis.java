package dev.gatehouse.ratelimit;

import dev.gatehouse.testkit.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;

/**
 * One real Redis for the behaviour suites of this test JVM, started on first use (the testkit reaps
 * the process when the JVM exits). Failure drills use their own server instead.
 */
public final class SharedRedis {
  private static RedisServer server;

  private SharedRedis() {}

  public static synchronized RedisServer server() {
    if (server == null) {
      server = RedisServer.create().start();
    }
    return server;
  }

  /** Runs one command and returns its reply as text ({@code FLUSHALL}, {@code DBSIZE}, ...). */
  public static String command(Vertx vertx, Command command, String... args) {
    Redis redis = Redis.createClient(vertx, server().uri());
    try {
      Request request = Request.cmd(command);
      for (String arg : args) {
        request.arg(arg);
      }
      var reply = redis.send(request).await(5, TimeUnit.SECONDS);
      return reply == null ? null : reply.toString();
    } catch (Exception e) {
      throw new AssertionError("redis " + command + " failed", e);
    } finally {
      redis.close();
    }
  }
}
