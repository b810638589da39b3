package dev.gatehouse.authz.grpc;

import com.google.protobuf.BoolValue;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import java.util.Map;

/** Writes a {@link Verdict} as an Envoy {@code CheckResponse}. */
final class CheckResponses {
  private static final CheckResponse PLAIN_OK =
      CheckResponse.newBuilder()
          .setStatus(Status.newBuilder().setCode(Code.OK_VALUE))
          .setOkResponse(OkHttpResponse.getDefaultInstance())
          .build();

  private CheckResponses() {}

  static CheckResponse toResponse(Verdict verdict) {
    if (verdict instanceof Verdict.Allow allow) {
      return allowed(allow.mutations());
    }
    return denied((Verdict.Deny) verdict);
  }

  private static CheckResponse allowed(HeaderMutations mutations) {
    if (mutations.isEmpty()) {
      return PLAIN_OK;
    }
    OkHttpResponse.Builder ok = OkHttpResponse.newBuilder();
    // Overwrite, never append: a client-sent x-user must not survive next to the one we inject.
    mutations.set().forEach((name, value) -> ok.addHeaders(option(name, value, false)));
    ok.addAllHeadersToRemove(mutations.remove());
    for (Map.Entry<String, String> header : mutations.responseHeaders()) {
      ok.addResponseHeadersToAdd(option(header.getKey(), header.getValue(), true));
    }
    return CheckResponse.newBuilder()
        .setStatus(Status.newBuilder().setCode(Code.OK_VALUE))
        .setOkResponse(ok)
        .build();
  }

  private static CheckResponse denied(Verdict.Deny deny) {
    DeniedHttpResponse.Builder denied =
        DeniedHttpResponse.newBuilder()
            .setStatus(HttpStatus.newBuilder().setCodeValue(deny.status()))
            .setBody(deny.body());
    // Each header its own appended entry, so that several Set-Cookie headers all arrive.
    for (Map.Entry<String, String> header : deny.headers()) {
      denied.addHeaders(option(header.getKey(), header.getValue(), true));
    }
    int code = deny.status() == 401 ? Code.UNAUTHENTICATED_VALUE : Code.PERMISSION_DENIED_VALUE;
    return CheckResponse.newBuilder()
        .setStatus(Status.newBuilder().setCode(code))
        .setDeniedResponse(denied)
        .build();
  }

  private static HeaderValueOption option(String name, String value, boolean append) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        // Both spellings: append_action for current Envoy, the deprecated append for older ones.
        .setAppendAction(
            append
                ? HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
                : HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .setAppend(BoolValue.of(append))
        .build();
  }
}
