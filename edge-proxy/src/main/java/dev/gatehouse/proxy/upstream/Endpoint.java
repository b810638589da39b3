package dev.gatehouse.proxy.upstream;

import java.util.Objects;

/**
 * One upstream address of a cluster, with its load-balancing weight and its live state (health,
 * ejection, requests in flight). Equality is address and weight: an update that changes either
 * makes a new endpoint with fresh state.
 */
public final class Endpoint {
  private final String host;
  private final int port;
  private final int weight;
  private final EndpointState state = new EndpointState();

  public Endpoint(String host, int port, int weight) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
    }
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.weight = weight;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public int weight() {
    return weight;
  }

  public EndpointState state() {
    return state;
  }

  /** {@code host:port}, the endpoint's identity in logs, metrics and hashing. */
  public String address() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Endpoint that
        && host.equals(that.host)
        && port == that.port
        && weight == that.weight;
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, weight);
  }

  @Override
  public String toString() {
    return address();
  }
}
