package dev.gatehouse.config.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceTest {
  @ParameterizedTest
  @CsvSource({
    "quote, http, quote, 80",
    "quote.default:8080, http, quote.default, 8080",
    "https://quote, https, quote, 443",
    "HTTPS://quote.svc.cluster.local:8443/, https, quote.svc.cluster.local, 8443",
    "127.0.0.1:9080, http, 127.0.0.1, 9080",
    "'[::1]:9080', http, '[::1]', 9080"
  })
  void parsesEmissaryServiceForms(String text, String scheme, String host, int port) {
    assertThat(Service.parse(text)).isEqualTo(new Service(scheme, host, port));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "quote:0 | \"quote:0\" (expected: a port between 1 and 65535)",
        "quote:123456 | \"quote:123456\" (expected: a port between 1 and 65535)",
        "grpc://quote | \"grpc://quote\" (expected: scheme http:// or https://, not grpc://)",
        "quote/path/x | \"quote/path/x\" (expected: [http:// or https://]host[:port])",
        "'' | \"\" (expected: [http:// or https://]host[:port])"
      })
  void rejectsOtherFormsSayingWhatWasExpected(String text, String message) {
    assertThatThrownBy(() -> Service.parse(text)).hasMessage(message);
  }
}
