package dev.gatehouse.config.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
  private final Map<String, Object> data =
      Map.of(
          "token",
          Map.of(
              "Claims",
              Map.of(
                  "sub", "alice",
                  "exp", 1700000000L,
                  "groups", List.of("admin", "dev"),
                  "x-team", "blue",
                  "evil", "a\r\nx-admin: true"),
              "Header",
              Map.of("kid", "k1")),
          "httpRequestHeader",
          (HeaderLookup) name -> name.equalsIgnoreCase("X-Trace") ? "t-1" : "");

  @Test
  void claimsHeaderAndRequestHeaderLookupsRender() {
    Template template =
        Template.compile(
            "user={{ .token.Claims.sub }} kid={{.token.Header.kid}}"
                + " trace={{ .httpRequestHeader.Get \"X-Trace\" }}");

    assertThat(template.render(data)).isEqualTo("user=alice kid=k1 trace=t-1");
  }

  @Test
  void indexReachesClaimNamesThatAreNotIdentifiers() {
    assertThat(Template.compile("{{ index .token.Claims \"x-team\" }}").render(data))
        .isEqualTo("blue");
  }

  @Test
  void missingValuesRenderEmptyAndListsJoinWithCommas() {
    assertThat(Template.compile("[{{ .token.Claims.nope }}]").render(data)).isEqualTo("[]");
    assertThat(Template.compile("{{ .token.Claims.groups }}").render(data)).isEqualTo("admin,dev");
    assertThat(Template.compile("{{ .token.Claims.exp }}").render(data)).isEqualTo("1700000000");
  }

  @Test
  void jsonPipeQuotesAndEscapes() {
    assertThat(Template.compile("{{ .token.Claims.evil | json }}").render(data))
        .isEqualTo("\"a\\r\\nx-admin: true\"");
  }

  @Test
  void headerRenderingNeutralisesLineBreaksFromClaims() {
    assertThat(Template.compile("{{ .token.Claims.evil }}").renderHeaderValue(data))
        .isEqualTo("a  x-admin: true");
  }

  @Test
  void anythingButLookupsIsRejectedWhenCompiled() {
    assertThatThrownBy(() -> Template.compile("{{ call .token.Method }}"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("expected");
    assertThatThrownBy(() -> Template.compile("{{ .a | printf }}"))
        .hasMessageContaining("unknown function \"printf\"");
    assertThatThrownBy(() -> Template.compile("{{ .a ")).hasMessageContaining("unclosed action");
    assertThatThrownBy(() -> Template.compile("{{ .httpRequestHeader.Get }}"))
        .hasMessageContaining("Get needs a header name");
  }
}
