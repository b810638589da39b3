package dev.gatehouse.authz.oauth2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.authz.session.CookieSigner;
import dev.gatehouse.config.auth.OAuth2Filter.ProtectedOrigin;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnUrlsAndSignerTest {
  private static final List<ProtectedOrigin> ORIGINS =
      List.of(
          new ProtectedOrigin("https://app.example.com", null, List.of(), false),
          new ProtectedOrigin("https://example.org", null, List.of(), true));

  @ParameterizedTest
  @CsvSource({
    "https://app.example.com, true",
    "https://APP.example.com, true",
    "https://app.example.com:443, true",
    "http://app.example.com, false",
    "https://app.example.com:8443, false",
    "https://evil-app.example.com, false",
    "https://app.example.com.evil.net, false",
    "https://shop.example.org, true",
    "https://example.org, true",
    "https://badexample.org, false"
  })
  void onlyExactOriginsOrProperDotSuffixesAreAllowed(String origin, boolean allowed) {
    assertThat(ReturnUrls.originAllowed(origin, ORIGINS)).isEqualTo(allowed);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "//evil.net",
        "/\\evil.net",
        "/%2f%2fevil.net",
        "/%2F/evil.net",
        "/%5Cevil.net",
        "evil",
        "/a b"
      })
  void pathsABrowserCouldReadAsAnotherHostBecomeTheRoot(String path) {
    assertThat(ReturnUrls.safePath(path)).isEqualTo("/");
  }

  @Test
  void anInternalOriginMapsToItsPublicOriginAndWildcardsMatchAnyPart() {
    List<ProtectedOrigin> exact =
        List.of(
            new ProtectedOrigin(
                "https://myservice.example.com", null, List.of("http://example.internal"), false));
    List<ProtectedOrigin> any =
        List.of(
            new ProtectedOrigin("https://myservice.example.com", null, List.of("*://*"), false));

    assertThat(ReturnUrls.publicOrigin("http://example.internal", exact))
        .isEqualTo("https://myservice.example.com");
    assertThat(ReturnUrls.publicOrigin("http://example.internal:80", exact))
        .isEqualTo("https://myservice.example.com");
    assertThat(ReturnUrls.publicOrigin("https://myservice.example.com", exact))
        .isEqualTo("https://myservice.example.com");
    assertThat(ReturnUrls.publicOrigin("https://example.internal", exact)).isNull();
    assertThat(ReturnUrls.publicOrigin("http://evil.example", exact)).isNull();
    assertThat(ReturnUrls.publicOrigin("http://anything:8080", any))
        .isEqualTo("https://myservice.example.com");
  }

  @Test
  void ordinaryPathWithQueryIsKept() {
    assertThat(ReturnUrls.safePath("/orders/7?tab=items")).isEqualTo("/orders/7?tab=items");
  }

  @Test
  void signedValueVerifiesAndAnyChangeDoesNot() {
    CookieSigner signer = new CookieSigner(new byte[32]);
    String signed = signer.sign("session-id");

    assertThat(signer.verify(signed)).isEqualTo("session-id");
    assertThat(signer.verify("other-id" + signed.substring(signed.indexOf('.')))).isNull();
    assertThat(signer.verify(signed + "x")).isNull();
    assertThat(signer.verify("session-id")).isNull();
    assertThat(
            new CookieSigner(
                    new byte[] {
                      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                      23, 24, 25, 26, 27, 28, 29, 30, 31, 32
                    })
                .verify(signed))
        .isNull();
  }

  @Test
  void pkceChallengeIsTheS256OfTheVerifier() {
    // RFC 7636 appendix B.
    assertThat(OAuth2LoginFilter.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }
}
