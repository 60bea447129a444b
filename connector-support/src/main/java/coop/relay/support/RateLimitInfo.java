package coop.relay.support;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one platform response said about rate limits, as the platform layer read it from headers or
 * body. The {@link RateLimiter} updates its state from it; every field is optional.
 *
 * @param bucket the platform's id of the bucket the request counted against (Discord: the
 *     {@code X-RateLimit-Bucket} hash joined with the top-level resource id, since routes with one
 *     hash share limits per resource); requests of the same key go to this bucket from now on
 * @param remaining how many requests the bucket allows before its reset
 * @param resetAfter how long until the bucket refills, from when the response arrived
 * @param retryAfter the request was refused (HTTP 429 or equivalent) and must wait this long; the
 *     {@link RateLimiter} retries it after the wait
 * @param global whether {@code retryAfter} applies to every request (Discord's global limit) rather
 *     than to this bucket only
 */
public record RateLimitInfo(
    @Nullable String bucket,
    @Nullable Integer remaining,
    @Nullable Duration resetAfter,
    @Nullable Duration retryAfter,
    boolean global) {

  /** The response said nothing about rate limits. */
  public static final RateLimitInfo NONE = new RateLimitInfo(null, null, null, null, false);

  public RateLimitInfo {
    if (bucket != null && bucket.isBlank()) {
      throw new IllegalArgumentException("bucket must not be blank; use null when the response named none");
    }
    if (remaining != null && remaining < 0) {
      throw new IllegalArgumentException("remaining must not be negative, was " + remaining);
    }
    requireNotNegative(resetAfter, "resetAfter");
    requireNotNegative(retryAfter, "retryAfter");
    if (global && retryAfter == null) {
      throw new IllegalArgumentException("a global rate limit needs a retryAfter");
    }
  }

  /** The request was refused and this bucket must wait {@code retryAfter}. */
  public static RateLimitInfo retryAfter(Duration retryAfter) {
    return new RateLimitInfo(null, null, null, Objects.requireNonNull(retryAfter, "retryAfter"), false);
  }

  /** The request was refused and every request must wait {@code retryAfter}. */
  public static RateLimitInfo globalRetryAfter(Duration retryAfter) {
    return new RateLimitInfo(null, null, null, Objects.requireNonNull(retryAfter, "retryAfter"), true);
  }

  /** The state of a named bucket after a successful request. */
  public static RateLimitInfo bucket(@Nullable String bucket, int remaining, Duration resetAfter) {
    return new RateLimitInfo(bucket, remaining, Objects.requireNonNull(resetAfter, "resetAfter"), null, false);
  }

  /** A copy that names the bucket, e.g. to add the bucket to a {@link #retryAfter} info. */
  public RateLimitInfo withBucket(@Nullable String bucket) {
    return new RateLimitInfo(bucket, remaining, resetAfter, retryAfter, global);
  }

  /** Whether the request was refused and has to be sent again after {@link #retryAfter()}. */
  public boolean isRateLimited() {
    return retryAfter != null;
  }

  private static void requireNotNegative(@Nullable Duration duration, String what) {
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, was " + duration);
    }
  }
}
