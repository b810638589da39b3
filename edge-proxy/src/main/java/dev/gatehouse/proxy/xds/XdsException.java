package dev.gatehouse.proxy.xds;

/**
 * An xDS resource that edge-proxy cannot apply; its message becomes the NACK's error detail, so it
 * names the resource and the field.
 */
public final class XdsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public XdsException(String message) {
    super(message);
  }

  public XdsException(String message, Throwable cause) {
    super(message, cause);
  }
}
