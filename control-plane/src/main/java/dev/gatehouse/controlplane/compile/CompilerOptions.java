package dev.gatehouse.controlplane.compile;

/** Where the compiled listeners listen: the edge proxy's ports, as the architecture fixes them. */
public record CompilerOptions(String bindAddress, int httpPort, int httpsPort) {
  public static final CompilerOptions DEFAULTS = new CompilerOptions("0.0.0.0", 8080, 8443);
}
