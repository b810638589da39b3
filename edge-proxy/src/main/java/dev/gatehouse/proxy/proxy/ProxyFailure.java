package dev.gatehouse.proxy.proxy;

import io.vertx.core.MultiMap;

/**
 * A request that ends with an answer from the proxy itself, with Envoy's status, body and headers.
 * Every failure of the request path becomes one of these in {@link Failures}, the one place that
 * maps failures to statuses.
 */
public final class ProxyFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String body;
  private final transient MultiMap headers;
  private final String flag;

  /**
   * @param flag Envoy's response flag for the access log (UH, UF, RL, ...), or null
   */
  public ProxyFailure(int status, String body, MultiMap headers, String flag) {
    super(status + " " + body, null, false, false);
    this.status = status;
    this.body = body;
    this.headers = headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
    this.flag = flag;
  }

  public ProxyFailure(int status, String body, MultiMap headers) {
    this(status, body, headers, null);
  }

  public ProxyFailure(int status, String body) {
    this(status, body, null, null);
  }

  public String flag() {
    return flag;
  }

  public int status() {
    return status;
  }

  public String body() {
    return body;
  }

  public MultiMap headers() {
    return headers;
  }
}
