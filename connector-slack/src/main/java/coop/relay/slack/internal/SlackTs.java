package coop.relay.slack.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Slack's message timestamps ({@code "1700000000.000100"}): seconds and microseconds, and the message id. */
final class SlackTs {
  private SlackTs() {}

  /** The instant a ts stands for, or {@code null} when it is not one. */
  static @Nullable Instant toInstant(@Nullable String ts) {
    if (ts == null || ts.isEmpty() || ts.length() > 32) {
      return null;
    }
    int dot = ts.indexOf('.');
    try {
      long seconds = Long.parseLong(dot < 0 ? ts : ts.substring(0, dot));
      long nanos = 0;
      if (dot >= 0) {
        String fraction = ts.substring(dot + 1);
        if (fraction.isEmpty() || fraction.length() > 9 || !fraction.chars().allMatch(Character::isDigit)) {
          return null;
        }
        nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
      }
      if (seconds < 0) {
        return null;
      }
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (NumberFormatException | java.time.DateTimeException e) {
      return null;
    }
  }

  /** Whether {@code ts} is shaped like a message ts. */
  static boolean isValid(@Nullable String ts) {
    return toInstant(ts) != null;
  }
}
