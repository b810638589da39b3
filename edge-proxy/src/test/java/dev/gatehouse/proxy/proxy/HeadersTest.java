package dev.gatehouse.proxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {
  private static List<String> names(MultiMap headers) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      out.add(header.getKey() + ": " + header.getValue());
    }
    return out;
  }

  @Test
  void everyNameIsCopiedInLowerCaseWithItsValuesInOrder() {
    MultiMap source =
        HeadersMultiMap.httpHeaders()
            .add("Host", "a.example")
            .add("Content-Type", "text/plain")
            .add("X-Custom-Thing", "One")
            .add("x-custom-thing", "two")
            .add("SET-COOKIE", "a=1")
            .add("Set-Cookie", "b=2")
            .add("accept", "*/*");

    MultiMap copy = Headers.lowerCased(source);

    assertThat(names(copy))
        .containsExactly(
            "host: a.example",
            "content-type: text/plain",
            "x-custom-thing: One",
            "x-custom-thing: two",
            "set-cookie: a=1",
            "set-cookie: b=2",
            "accept: */*");
  }

  @Test
  void commonCapitalizedNamesComeFromConstantsAndOthersAreLowered() {
    assertThat(Headers.lowerCased(MultiMap.caseInsensitiveMultiMap().add("ETag", "x")).names())
        .containsExactly("etag");
    assertThat(Headers.lowerCase("User-Agent")).isEqualTo("user-agent");
    assertThat(Headers.lowerCase("User-Agent")).isSameAs(Headers.lowerCase("User-Agent"));
    assertThat(Headers.lowerCase("X-Forwarded-Proto")).isEqualTo("x-forwarded-proto");
    assertThat(Headers.lowerCase("X-Unknown-Header")).isEqualTo("x-unknown-header");
    assertThat(Headers.lowerCase("ÄBC")).isEqualTo("äbc");
  }
}
