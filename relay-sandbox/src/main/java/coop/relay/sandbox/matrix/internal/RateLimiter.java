package coop.relay.sandbox.matrix.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-user token buckets, as homeservers limit how fast a user may send events: {@code burst}
 * actions at once, refilled at {@code perSecond}. A refused action costs nothing. Thread-safe.
 */
final class RateLimiter {
  private static final class Bucket {
    double tokens;
    long at;
  }

  private final double perSecond;
  private final int burst;
  private final Map<String, Bucket> buckets = new HashMap<>();

  RateLimiter(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Takes one action for {@code key} at {@code nowMillis}: 0 if allowed, else the milliseconds to wait. */
  synchronized long tryAcquire(String key, long nowMillis) {
    Bucket b = buckets.computeIfAbsent(key, k -> {
      Bucket fresh = new Bucket();
      fresh.tokens = burst;
      fresh.at = nowMillis;
      return fresh;
    });
    b.tokens = Math.min(burst, b.tokens + (nowMillis - b.at) / 1000.0 * perSecond);
    b.at = nowMillis;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond * 1000));
  }
}
