package coop.relay.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookRequestTest {

  @Test
  void decodesQueryParametersInOrder() {
    WebhookRequest request = new WebhookRequest("GET", "/hook", "z=1&a=x%20y&a=2&flag&&b=%E2%9C%93", HttpHeaders.empty(), new byte[0], null);

    assertThat(request.queryParameters().keySet()).containsExactly("z", "a", "flag", "b");
    assertThat(request.queryParameters().get("a")).containsExactly("x y", "2");
    assertThat(request.queryParameter("flag")).isEmpty();
    assertThat(request.queryParameter("b")).isEqualTo("✓");
    assertThat(request.queryParameter("missing")).isNull();
  }

  @Test
  void toStringHidesPathAndBody() {
    WebhookRequest request = WebhookRequest.of("POST", "/bot123:SECRET/hook", HttpHeaders.of("X-Sig", "abc"),
        "{\"token\":\"SECRET\"}".getBytes(UTF_8));

    assertThat(request.toString()).doesNotContain("SECRET").doesNotContain("abc").contains("POST");
  }

  @Test
  void equalityComparesBodyContent() {
    WebhookRequest a = WebhookRequest.of("POST", "/h", HttpHeaders.empty(), "x".getBytes(UTF_8));

    assertThat(a).isEqualTo(WebhookRequest.of("POST", "/h", HttpHeaders.empty(), "x".getBytes(UTF_8)))
        .hasSameHashCodeAs(WebhookRequest.of("POST", "/h", HttpHeaders.empty(), "x".getBytes(UTF_8)))
        .isNotEqualTo(WebhookRequest.of("POST", "/h", HttpHeaders.empty(), "y".getBytes(UTF_8)));
  }

  @Test
  void pathMustBeAbsolute() {
    assertThatThrownBy(() -> WebhookRequest.of("GET", "hook", HttpHeaders.empty(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
