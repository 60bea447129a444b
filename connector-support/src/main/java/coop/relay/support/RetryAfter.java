package coop.relay.support;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the waits that platforms ask for: the {@code Retry-After} header (whole or fractional
 * seconds, or an HTTP date) and the numbers they put in bodies (Discord's fractional
 * {@code retry_after} seconds, Telegram's {@code parameters.retry_after}, Matrix's
 * {@code retry_after_ms}). Fractions are rounded up to the next millisecond, so a retry never
 * arrives early.
 */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * The wait a {@code Retry-After} header value asks for.
   *
   * @param value the header value, or {@code null} when absent
   * @param now the current time, used only for the HTTP-date form
   * @return the wait (zero for a date in the past), or empty when the value is absent or malformed
   */
  public static Optional<Duration> parseHeader(@Nullable String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String trimmed = value.strip();
    try {
      return ofSeconds(Double.parseDouble(trimmed));
    } catch (NumberFormatException notNumber) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  /**
   * A wait of {@code seconds}, possibly fractional, rounded up to the millisecond.
   *
   * @return empty when {@code seconds} is negative, infinite or not a number
   */
  public static Optional<Duration> ofSeconds(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000.0)));
  }

  /**
   * A wait of {@code millis} milliseconds.
   *
   * @return empty when {@code millis} is negative
   */
  public static Optional<Duration> ofMillis(long millis) {
    return millis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
  }
}
