package dev.gatehouse.authz.jwt;

import dev.gatehouse.authz.AuthzRequest;
import dev.gatehouse.authz.Filter;
import dev.gatehouse.authz.FilterArguments;
import dev.gatehouse.authz.HeaderMutations;
import dev.gatehouse.authz.Verdict;
import dev.gatehouse.config.auth.InjectedHeader;
import dev.gatehouse.config.auth.JwtFilter;
import dev.gatehouse.config.template.HeaderLookup;
import dev.gatehouse.config.template.Template;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JWT Filter: a bearer token in {@code Authorization}, verified by {@link TokenVerifier},
 * carrying every scope the rule's {@code scope} argument asks for; on success the {@code
 * injectRequestHeaders} templates set request headers (overwriting any the client sent).
 */
public final class JwtValidatingFilter implements Filter {
  private final TokenVerifier verifier;
  private final BearerErrors errors;
  private final List<Map.Entry<String, Template>> injected;

  /**
   * @param realm the default realm, {@code name.namespace} of the Filter as Edge Stack has it
   */
  public JwtValidatingFilter(TokenVerifier verifier, JwtFilter spec, String realm) {
    this.verifier = verifier;
    this.errors = new BearerErrors(realm, spec.errorResponse());
    this.injected = compileTemplates(spec.injectRequestHeaders());
  }

  /** The header templates of an {@code injectRequestHeaders} list, names lower-cased. */
  public static List<Map.Entry<String, Template>> compileTemplates(List<InjectedHeader> headers) {
    List<Map.Entry<String, Template>> out = new ArrayList<>();
    if (headers != null) {
      for (InjectedHeader header : headers) {
        out.add(
            Map.entry(header.name().toLowerCase(Locale.ROOT), Template.compile(header.value())));
      }
    }
    return List.copyOf(out);
  }

  @Override
  public Future<Verdict> check(AuthzRequest request, FilterArguments arguments) {
    String token = bearerToken(request.header("authorization"));
    if (token == null) {
      return Future.succeededFuture(errors.missingToken(request));
    }
    String requiredScope =
        arguments.scopes().isEmpty() ? null : String.join(" ", arguments.scopes());
    return verifier
        .verify(token)
        .map(
            verified -> {
              requireScopes(verified, arguments.scopes());
              return Verdict.allow(inject(injected, verified, request));
            })
        .recover(
            failure -> {
              if (failure instanceof TokenException problem) {
                return Future.succeededFuture(errors.rejected(request, problem, requiredScope));
              }
              if (failure instanceof JwksCache.JwksUnavailableException) {
                return Future.succeededFuture(errors.unavailable(request));
              }
              return Future.failedFuture(failure);
            });
  }

  /** The token of an {@code Authorization: Bearer TOKEN} header, or null. */
  static String bearerToken(String authorization) {
    if (authorization == null
        || authorization.length() < 8
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** Throws insufficient_scope unless the token's scope (or scp) claim holds every one. */
  static void requireScopes(VerifiedToken token, Set<String> required) {
    if (required.isEmpty()) {
      return;
    }
    Set<String> granted = new LinkedHashSet<>();
    for (String claim : List.of("scope", "scp")) {
      Object value = token.claims().get(claim);
      if (value instanceof String text) {
        for (String s : text.trim().split("\\s+")) {
          granted.add(s);
        }
      } else if (value instanceof Collection<?> items) {
        items.forEach(item -> granted.add(String.valueOf(item)));
      }
    }
    if (!granted.containsAll(required)) {
      throw new TokenException("insufficient_scope", "token lacks a required scope");
    }
  }

  /** The header mutations of {@code templates} for a verified token. */
  static HeaderMutations inject(
      List<Map.Entry<String, Template>> templates, VerifiedToken token, AuthzRequest request) {
    if (templates.isEmpty()) {
      return HeaderMutations.NONE;
    }
    Map<String, Object> data =
        Map.of(
            "token",
            token.templateData(),
            "httpRequestHeader",
            (HeaderLookup)
                name -> {
                  String value = request.header(name);
                  return value == null ? "" : value;
                });
    Map<String, String> set = new LinkedHashMap<>();
    for (Map.Entry<String, Template> header : templates) {
      set.put(header.getKey(), header.getValue().renderHeaderValue(data));
    }
    return new HeaderMutations(set, Set.of(), List.of());
  }
}
