package coop.relay.sandbox.discord.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Discord's REST rate limits: per-route buckets, each counted separately per top-level resource
 * (channel, guild, webhook), and a global limit per bot token that webhook-token requests are
 * exempt from. Windows are fixed and start with their first request. Thread-safe.
 */
final class RateLimits {

  /** How many requests a bucket allows per window. */
  record Limit(int limit, Duration window) {}

  /**
   * The verdict on one request and the header values that describe its bucket. When refused,
   * {@code retryAfter} is the wait in seconds and {@code global} says which limit refused it.
   */
  record Decision(
      boolean allowed, boolean global, String bucket, int limit, int remaining, double resetAt, double resetAfter,
      double retryAfter) {}

  private static final class Window {
    long start;
    int count;
  }

  private final Map<String, Limit> limits;
  private final int globalPerSecond;
  private final boolean enabled;
  private final LongSupplier clockMillis;
  private final Map<String, Window> windows = new HashMap<>();
  private final Map<String, Window> globals = new HashMap<>();

  /**
   * @param limits by bucket name
   * @param enabled whether requests over a limit are refused; headers are sent either way
   */
  RateLimits(Map<String, Limit> limits, int globalPerSecond, boolean enabled, LongSupplier clockMillis) {
    this.limits = Map.copyOf(limits);
    this.globalPerSecond = globalPerSecond;
    this.enabled = enabled;
    this.clockMillis = clockMillis;
  }

  /** The opaque hash Discord sends as {@code X-RateLimit-Bucket}; equal for every resource of a bucket. */
  static String hash(String bucketName) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bucketName.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Counts a request to bucket {@code name} for resource {@code major} (a channel or webhook id) if
   * the limits allow it.
   *
   * @param globalKey the bot token the global limit counts against, or null when exempt
   */
  synchronized Decision acquire(String name, String major, @Nullable String globalKey) {
    long now = clockMillis.getAsLong();
    Limit limit = limits.get(name);
    if (limit == null) {
      throw new IllegalArgumentException("no rate limit bucket " + name);
    }
    String hash = hash(name);
    Window w = windows.computeIfAbsent(name + "|" + major, k -> new Window());
    long windowMillis = limit.window().toMillis();
    if (w.count == 0 || now >= w.start + windowMillis) {
      w.start = now;
      w.count = 0;
    }
    if (enabled && globalKey != null) {
      Window g = globals.computeIfAbsent(globalKey, k -> new Window());
      if (g.count == 0 || now >= g.start + 1000) {
        g.start = now;
        g.count = 0;
      }
      if (g.count >= globalPerSecond) {
        double retry = (g.start + 1000 - now) / 1000.0;
        return decision(false, true, hash, limit, w, now, retry);
      }
    }
    if (enabled && w.count >= limit.limit()) {
      double retry = (w.start + windowMillis - now) / 1000.0;
      return decision(false, false, hash, limit, w, now, retry);
    }
    w.count++;
    if (globalKey != null) {
      Window g = globals.computeIfAbsent(globalKey, k -> new Window());
      if (g.count == 0 || now >= g.start + 1000) {
        g.start = now;
        g.count = 0;
      }
      g.count++;
    }
    return decision(true, false, hash, limit, w, now, 0);
  }

  private static Decision decision(
      boolean allowed, boolean global, String hash, Limit limit, Window w, long now, double retryAfter) {
    long reset = w.start + limit.window().toMillis();
    return new Decision(
        allowed, global, hash, limit.limit(), Math.max(0, limit.limit() - w.count), reset / 1000.0,
        Math.max(0, reset - now) / 1000.0, Math.max(0.001, retryAfter));
  }
}
