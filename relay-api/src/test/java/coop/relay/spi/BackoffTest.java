package coop.relay.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.5);

  @Test
  void growsExponentiallyWithoutJitterAtTheMidpoint() {
    assertThat(backoff.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(4, () -> 0.5)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.delay(30, () -> 0.5)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void jitterSpreadsAroundTheBase() {
    assertThat(backoff.delay(2, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2, () -> 0.999_999)).isBetween(Duration.ofMillis(299), Duration.ofMillis(300));
  }

  @Property(tries = 1000)
  void neverExceedsMaxNorGoesNegative(@ForAll @IntRange(min = 1, max = 200) int attempt,
      @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double random) {
    Duration delay = backoff.delay(attempt, () -> random);

    assertThat(delay).isBetween(Duration.ofMillis(50), Duration.ofSeconds(5));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
        .hasMessageContaining("shorter than the initial");
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> backoff.delay(0, () -> 0.5)).hasMessageContaining("from 1");
  }
}
