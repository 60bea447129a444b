package coop.relay.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt {@code n} (from 1) waits
 * {@code min(max, initial × multiplier^(n-1))}, then scaled by a random factor in
 * {@code [1 - jitter, 1 + jitter]} and capped at {@code max} again. Pure computation, so the relay's
 * delivery retries and the connectors' reconnects share one definition and tests can pass a fixed
 * random source.
 *
 * @param initial the delay before the second attempt
 * @param max the longest delay
 * @param multiplier the growth factor per attempt, at least 1
 * @param jitter the relative spread, in {@code [0, 1]}
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

  /** 500 ms doubling up to 1 minute, ±20 %: a sensible default for chat platforms. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(1), 2.0, 0.2);

  /** Checks the components. */
  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max backoff " + max + " is shorter than the initial " + initial);
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("backoff multiplier must be at least 1, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("backoff jitter must be within [0, 1], was " + jitter);
    }
  }

  /**
   * The delay after failed attempt {@code attempt}.
   *
   * @param attempt the number of the attempt that failed, from 1
   * @param random a source of uniform values in {@code [0, 1)}
   */
  public Duration delay(int attempt, DoubleSupplier random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
    }
    double maxNanos = max.toNanos();
    double base = Math.min(maxNanos, initial.toNanos() * Math.pow(multiplier, attempt - 1));
    double factor = 1.0 + jitter * (2.0 * random.getAsDouble() - 1.0);
    return Duration.ofNanos((long) Math.min(maxNanos, base * factor));
  }
}
