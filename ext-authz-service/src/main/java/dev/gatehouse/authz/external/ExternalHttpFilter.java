package dev.gatehouse.authz.external;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An External Filter with {@code proto: http}, Emissary's HTTP AuthService contract: the request
 * (method, {@code path_prefix} + path, the allowed headers, the body within {@code include_body})
 * goes to the auth service; 200 allows and its allowed authorization headers are set upstream; any
 * other answer below 500 goes back to the client verbatim; 5xx, timeouts and connection errors are
 * failures.
 */
public final class ExternalHttpFilter implements Filter {
  private final Delegation delegation;
  private final WebClient client;

  ExternalHttpFilter(WebClient client, Delegation delegation) {
    this.client = client;
    this.delegation = delegation;
  }

  @Override
  public Future<Verdict> check(AuthzRequest request, FilterArguments arguments) {
    String url =
        delegation.service().scheme()
            + "://"
            + delegation.service().host()
            + ":"
            + delegation.service().port()
            + delegation.pathPrefix()
            + request.path();
    HttpRequest<Buffer> call =
        client
            .requestAbs(HttpMethod.valueOf(request.method()), url)
            .timeout(delegation.timeoutMillis());
    delegation.headersToSend(request).forEach(call::putHeader);
    String body = delegation.body(request);
    Future<HttpResponse<Buffer>> sent =
        body.isEmpty() ? call.send() : call.sendBuffer(Buffer.buffer(body));
    return sent.map(this::verdict).otherwise(failure -> delegation.failure());
  }

  private Verdict verdict(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 500) {
      return delegation.failure();
    }
    if (status == 200) {
      Map<String, String> set = new LinkedHashMap<>();
      Set<String> allowed = delegation.authorizationHeaders();
      response
          .headers()
          .forEach(
              h -> {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (allowed.contains(name)
                    && !name.equals("set-cookie")
                    && !name.equals("location")) {
                  set.put(name, h.getValue());
                }
              });
      return Verdict.allow(new HeaderMutations(set, Set.of(), List.of()));
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    response.headers().forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
    String text = response.bodyAsString();
    return new Verdict.Deny(status < 200 ? 403 : status, headers, text == null ? "" : text);
  }
}
