package coop.relay.support;

import java.time.Duration;
import java.util.Objects;

/**
 * A retry that a {@link RetryPolicy} is about to make, reported to its {@code onRetry} hook (to log
 * it, or to emit a {@code RECONNECTING} state).
 *
 * @param retry the number of this retry in the current run of consecutive failures, from 1
 * @param delay how long it waits before retrying
 * @param failure what failed
 */
public record RetryAttempt(long retry, Duration delay, Throwable failure) {
  public RetryAttempt {
    if (retry < 1) {
      throw new IllegalArgumentException("retry counts from 1, was " + retry);
    }
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(failure, "failure");
  }
}
