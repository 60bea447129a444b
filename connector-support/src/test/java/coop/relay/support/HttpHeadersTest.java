package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

  @Test
  void namesAreCaseInsensitive() {
    HttpHeaders headers = HttpHeaders.of("X-RateLimit-Bucket", "abc", "Content-Type", "application/json");

    assertThat(headers.first("x-ratelimit-bucket")).isEqualTo("abc");
    assertThat(headers.first("X-RATELIMIT-BUCKET")).isEqualTo("abc");
    assertThat(headers.contains("content-TYPE")).isTrue();
    assertThat(headers.first("missing")).isNull();
    assertThat(headers.all("missing")).isEmpty();
  }

  @Test
  void keepsAllValuesInOrder() {
    HttpHeaders headers = HttpHeaders.of(Map.of("Set-Cookie", List.of("a=1", "b=2"))).with("set-cookie", "c=3");

    assertThat(headers.all("Set-Cookie")).containsExactly("a=1", "b=2", "c=3");
  }

  @Test
  void toStringShowsNamesOnly() {
    HttpHeaders headers = HttpHeaders.of("Authorization", "Bearer hunter2");

    assertThat(headers.toString()).contains("authorization").doesNotContain("hunter2");
  }

  @Test
  void equalityIgnoresNameCase() {
    assertThat(HttpHeaders.of("A", "1")).isEqualTo(HttpHeaders.of("a", "1")).isNotEqualTo(HttpHeaders.of("a", "2"));
  }

  @Test
  void rejectsLineBreaksAndOddCounts() {
    assertThatThrownBy(() -> HttpHeaders.of("X-A", "1\r\nX-Injected: 2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpHeaders.of("X-A")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setReplacesValues() {
    HttpHeaders headers = HttpHeaders.builder().add("A", "1").add("a", "2").set("A", "3").build();

    assertThat(headers.all("a")).containsExactly("3");
  }
}
