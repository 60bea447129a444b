package coop.relay.support.internal;

import coop.relay.support.Quota;

/**
 * The times of the last {@code permits} grants of one {@link Quota}, as a ring. A grant is allowed
 * when fewer than {@code permits} grants fall within the last window, which is exact (no burst at a
 * window boundary) and needs memory only for {@code permits} timestamps. Not thread-safe.
 */
final class SlidingWindowLog {
  private final long windowNanos;
  private final long[] grants;
  private int oldest;
  private int count;

  SlidingWindowLog(Quota quota) {
    this.windowNanos = quota.window().toNanos();
    this.grants = new long[quota.permits()];
  }

  /** Nanoseconds until a grant is allowed, 0 when it is allowed now. */
  long waitNanos(long now) {
    if (count < grants.length) {
      return 0;
    }
    return Math.max(0, grants[oldest] + windowNanos - now);
  }

  /** Records a grant at {@code now}; only after {@link #waitNanos} returned 0. */
  void record(long now) {
    if (count < grants.length) {
      grants[(oldest + count) % grants.length] = now;
      count++;
    } else {
      grants[oldest] = now;
      oldest = (oldest + 1) % grants.length;
    }
  }

  /** Whether every recorded grant is older than the window, so the log can be dropped. */
  boolean isIdle(long now) {
    return count == 0 || grants[(oldest + count - 1) % grants.length] + windowNanos <= now;
  }
}
