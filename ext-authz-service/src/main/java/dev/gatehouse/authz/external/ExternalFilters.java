package dev.gatehouse.authz.external;

import dev.gatehouse.authz.AuthzRuntime;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.config.auth.AuthService.AuthProtocol;
import dev.gatehouse.config.auth.ExternalFilter;

/** Builds the gRPC or HTTP form of an External Filter. */
public final class ExternalFilters {
  private ExternalFilters() {}

  public static Filter create(ExternalFilter spec, AuthzRuntime runtime) {
    Delegation delegation = Delegation.of(spec);
    if (spec.proto() == AuthProtocol.GRPC) {
      return new ExternalGrpcFilter(runtime.vertx(), delegation);
    }
    return new ExternalHttpFilter(runtime.webClient(false), delegation);
  }
}
