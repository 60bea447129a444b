package coop.relay.support;

import java.time.Duration;
import java.util.Objects;

/**
 * A fixed budget: at most {@code permits} requests in any window of length {@code window}
 * (a sliding window, so bursts up to {@code permits} are allowed and the average never exceeds it).
 * Telegram's "20 messages per minute in a group" is {@code Quota.of(20, Duration.ofMinutes(1))};
 * Slack's "about one message per second per channel, with short bursts" is, for example,
 * {@code Quota.of(3, Duration.ofSeconds(3))}.
 *
 * @param permits how many requests a window allows, at least 1
 * @param window the length of the window, positive
 */
public record Quota(int permits, Duration window) {
  public Quota {
    Objects.requireNonNull(window, "window");
    if (permits < 1) {
      throw new IllegalArgumentException("a quota allows at least 1 permit, was " + permits);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a quota's window must be positive, was " + window);
    }
  }

  /** {@code permits} per {@code window}. */
  public static Quota of(int permits, Duration window) {
    return new Quota(permits, window);
  }

  /** {@code permits} per second. */
  public static Quota perSecond(int permits) {
    return new Quota(permits, Duration.ofSeconds(1));
  }

  /** {@code permits} per minute. */
  public static Quota perMinute(int permits) {
    return new Quota(permits, Duration.ofMinutes(1));
  }
}
