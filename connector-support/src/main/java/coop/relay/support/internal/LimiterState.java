package coop.relay.support.internal;

import coop.relay.support.Quota;
import coop.relay.support.RateLimitInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The bookkeeping behind {@code RateLimiter}: per-key quota logs, the buckets the platform reported,
 * which key counts against which bucket, and the pauses that 429 answers imposed. Times are
 * nanoseconds of the limiter's scheduler. Thread-safe: every method holds the monitor, briefly.
 */
public final class LimiterState {
  private static final int UNKNOWN = -1;
  private static final int SWEEP_EVERY = 4096;

  /** A quota that applies to the keys {@code appliesTo} accepts. */
  public record KeyQuota(Predicate<? super String> appliesTo, Quota quota) {}

  private final List<KeyQuota> keyQuotas;
  private final @Nullable SlidingWindowLog global;
  private final Map<String, KeyState> keys = new HashMap<>();
  private final Map<String, Bucket> buckets = new HashMap<>();
  private long globalPausedUntil = Long.MIN_VALUE;
  private int acquisitions;

  public LimiterState(List<KeyQuota> keyQuotas, @Nullable Quota globalQuota) {
    this.keyQuotas = List.copyOf(keyQuotas);
    this.global = globalQuota == null ? null : new SlidingWindowLog(globalQuota);
  }

  /**
   * Takes a permit for {@code key} when every limit allows one now.
   *
   * @return 0 when the permit was taken, else the nanoseconds to wait before asking again
   */
  public synchronized long tryAcquire(String key, long now) {
    if (++acquisitions % SWEEP_EVERY == 0) {
      sweep(now);
    }
    KeyState state = keys.computeIfAbsent(key, this::newKeyState);
    Bucket bucket = bucket(state);
    long wait = Math.max(0, bucket.waitNanos(now));
    if (globalPausedUntil > now) {
      wait = Math.max(wait, globalPausedUntil - now);
    }
    for (SlidingWindowLog window : state.windows) {
      wait = Math.max(wait, window.waitNanos(now));
    }
    if (global != null) {
      wait = Math.max(wait, global.waitNanos(now));
    }
    if (wait > 0) {
      return wait;
    }
    bucket.consume();
    for (SlidingWindowLog window : state.windows) {
      window.record(now);
    }
    if (global != null) {
      global.record(now);
    }
    return 0;
  }

  /** Applies what a response for {@code key} said. */
  public synchronized void update(String key, RateLimitInfo info, long now) {
    KeyState state = keys.computeIfAbsent(key, this::newKeyState);
    String reported = info.bucket();
    if (reported != null) {
      state.bucketId = "bucket:" + reported;
    }
    Bucket bucket = bucket(state);
    Integer remaining = info.remaining();
    if (remaining != null) {
      bucket.remaining = remaining;
    }
    Duration resetAfter = info.resetAfter();
    if (resetAfter != null) {
      bucket.resetAt = now + resetAfter.toNanos();
    }
    Duration retryAfter = info.retryAfter();
    if (retryAfter != null) {
      long until = now + retryAfter.toNanos();
      if (info.global()) {
        globalPausedUntil = Math.max(globalPausedUntil, until);
      } else {
        bucket.pausedUntil = Math.max(bucket.pausedUntil, until);
      }
    }
  }

  /** How many keys and buckets are tracked; for tests of the clean-up. */
  public synchronized int trackedEntries() {
    return keys.size() + buckets.size();
  }

  private KeyState newKeyState(String key) {
    List<SlidingWindowLog> windows = new ArrayList<>(2);
    for (KeyQuota keyQuota : keyQuotas) {
      if (keyQuota.appliesTo().test(key)) {
        windows.add(new SlidingWindowLog(keyQuota.quota()));
      }
    }
    return new KeyState("key:" + key, windows);
  }

  private Bucket bucket(KeyState state) {
    return buckets.computeIfAbsent(state.bucketId, id -> new Bucket());
  }

  /** Forgets keys and buckets whose limits no longer matter, so many short-lived keys do not pile up. */
  private void sweep(long now) {
    // A key that points to a paused platform bucket stays, or it would forget which bucket it is in.
    keys.values().removeIf(state -> state.windows.stream().allMatch(w -> w.isIdle(now))
        && isAtRest(buckets.get(state.bucketId), now));
    buckets.values().removeIf(bucket -> bucket.isAtRest(now));
  }

  private static boolean isAtRest(@Nullable Bucket bucket, long now) {
    return bucket == null || bucket.isAtRest(now);
  }

  private static final class KeyState {
    String bucketId;
    final List<SlidingWindowLog> windows;

    KeyState(String bucketId, List<SlidingWindowLog> windows) {
      this.bucketId = bucketId;
      this.windows = windows;
    }
  }

  private static final class Bucket {
    int remaining = UNKNOWN;
    long resetAt = Long.MIN_VALUE;
    long pausedUntil = Long.MIN_VALUE;

    long waitNanos(long now) {
      if (pausedUntil > now) {
        return pausedUntil - now;
      }
      if (remaining == 0) {
        if (resetAt > now) {
          return resetAt - now;
        }
        remaining = UNKNOWN; // refilled; the next response says by how much
      }
      return 0;
    }

    void consume() {
      if (remaining > 0) {
        remaining--;
      }
    }

    boolean isAtRest(long now) {
      return pausedUntil <= now && resetAt <= now;
    }
  }
}
