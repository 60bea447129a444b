package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

  @Test
  void readsWholeAndFractionalSeconds() {
    assertThat(RetryAfter.parseHeader("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parseHeader(" 1.5 ", NOW)).contains(Duration.ofMillis(1500));
    assertThat(RetryAfter.parseHeader("0.0001", NOW)).contains(Duration.ofMillis(1));
  }

  @Test
  void readsHttpDates() {
    assertThat(RetryAfter.parseHeader("Wed, 21 Oct 2015 07:28:30 GMT", NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parseHeader("Wed, 21 Oct 2015 07:27:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void ignoresAbsentOrMalformedValues() {
    assertThat(RetryAfter.parseHeader(null, NOW)).isEmpty();
    assertThat(RetryAfter.parseHeader("", NOW)).isEmpty();
    assertThat(RetryAfter.parseHeader("soon", NOW)).isEmpty();
    assertThat(RetryAfter.parseHeader("-3", NOW)).isEmpty();
    assertThat(RetryAfter.parseHeader("NaN", NOW)).isEmpty();
  }

  @Test
  void convertsBodyValues() {
    assertThat(RetryAfter.ofSeconds(0.362)).contains(Duration.ofMillis(362));
    assertThat(RetryAfter.ofMillis(2500)).contains(Duration.ofMillis(2500));
    assertThat(RetryAfter.ofMillis(-1)).isEmpty();
  }
}
