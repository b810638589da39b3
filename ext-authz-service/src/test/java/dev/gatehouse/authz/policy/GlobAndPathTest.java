package dev.gatehouse.authz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobAndPathTest {

  @ParameterizedTest
  @CsvSource({
    "*, anything, true",
    "/api/*, /api/x/y, true",
    "/api/*, /api, false",
    "/api/*, /apix/y, false",
    "/exact, /exact, true",
    "/exact, /exact/, false",
    "/a*b*c, /aXXbYYc, true",
    "/a*b*c, /aXXbYY, false"
  })
  void pathGlobStarMatchesAnyRunIncludingSlashes(String glob, String path, boolean matches) {
    assertThat(Glob.path(glob).matches(path)).isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource({
    "*.example.com, app.example.com, true",
    "*.example.com, APP.Example.COM, true",
    "*.example.com, example.com, false",
    "app.example.com, app.example.com.evil, false"
  })
  void hostGlobIsCaseInsensitive(String glob, String host, boolean matches) {
    assertThat(Glob.host(glob).matches(host)).isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource({
    "/api/x?token=1, /api/x",
    "/%61pi/x, /api/x",
    "//api//x, /api/x",
    "/public/../api/x, /api/x",
    "/./api/./x/, /api/x/",
    "/api/%2e%2e/admin, /admin",
    "/api/x%2Fy, /api/x%2Fy",
    "'', /"
  })
  void pathIsNormalizedBeforeMatchingSoEncodingsCannotDodgeARule(String raw, String normalized) {
    assertThat(PathNormalizer.normalize(raw)).isEqualTo(normalized);
  }
}
