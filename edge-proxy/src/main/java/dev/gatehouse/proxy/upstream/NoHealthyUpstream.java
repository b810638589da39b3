package dev.gatehouse.proxy.upstream;

/**
 * No endpoint of the cluster can take the request: 503 with the body {@code no healthy upstream}.
 */
public final class NoHealthyUpstream extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoHealthyUpstream(String cluster) {
    super("no healthy upstream in cluster " + cluster, null, false, false);
  }
}
