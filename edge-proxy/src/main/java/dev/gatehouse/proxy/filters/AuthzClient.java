package dev.gatehouse.proxy.filters;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/** Asks an external authorization service about one request (Envoy's ext_authz, gRPC v3). */
public interface AuthzClient {

  /** Fails when the service cannot be asked; the caller applies the failure mode. */
  Future<Decision> check(Check check);

  /** What the service is told: the request as the client sent it. */
  record Check(
      String method,
      String scheme,
      String host,
      String path,
      MultiMap headers,
      Buffer body,
      Map<String, String> contextExtensions,
      String remoteAddress,
      int remotePort) {}

  /** The service's answer. */
  sealed interface Decision {}

  /** Go on, with these changes to the request and these headers for the response. */
  record Allow(
      List<Map.Entry<String, String>> setHeaders,
      List<Map.Entry<String, String>> appendHeaders,
      List<String> removeHeaders,
      List<Map.Entry<String, String>> responseHeaders)
      implements Decision {}

  /** Answer the client with this instead. */
  record Deny(int status, List<Map.Entry<String, String>> headers, String body)
      implements Decision {}
}
