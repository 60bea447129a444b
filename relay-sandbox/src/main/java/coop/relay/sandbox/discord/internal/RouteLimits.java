package coop.relay.sandbox.discord.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The rate limits the builder configured: defaults per bucket, modelled on what Discord's headers
 * commonly report (Discord says to read the headers rather than rely on numbers), overrides by
 * route, the global limit, and whether limits are enforced.
 */
public final class RouteLimits {
  private static final Map<String, RateLimits.Limit> DEFAULTS = defaults();

  private final Map<String, RateLimits.Limit> overrides = new LinkedHashMap<>();
  private int globalPerSecond = 50;
  private boolean enforced = true;

  private static Map<String, RateLimits.Limit> defaults() {
    Map<String, RateLimits.Limit> d = new HashMap<>();
    d.put("gateway", limit(5, 5_000));
    d.put("users", limit(5, 1_000));
    d.put("channels", limit(5, 1_000));
    d.put("messages.list", limit(5, 1_000));
    d.put("messages.get", limit(5, 1_000));
    d.put("messages.create", limit(5, 5_000));
    d.put("messages.edit", limit(5, 5_000));
    d.put("messages.delete", limit(5, 1_000));
    d.put("messages.bulk-delete", limit(1, 1_000));
    d.put("reactions", limit(1, 250));
    d.put("reactions.list", limit(5, 1_000));
    d.put("threads", limit(5, 5_000));
    d.put("webhooks.manage", limit(5, 5_000));
    d.put("webhooks.execute", limit(5, 2_000));
    d.put("webhooks.messages", limit(5, 1_000));
    return Map.copyOf(d);
  }

  private static RateLimits.Limit limit(int n, long millis) {
    return new RateLimits.Limit(n, Duration.ofMillis(millis));
  }

  /** Sets the limit of the bucket that {@code route} ({@code POST /channels/{channel_id}/messages}) is in. */
  public void route(String route, int limit, Duration window) {
    overrides.put(RestApi.normalize(route), limit(limit, window.toMillis()));
  }

  /** Sets how many requests per second one bot token may make across all routes. */
  public void global(int perSecond) {
    this.globalPerSecond = perSecond;
  }

  /** Sets whether requests over a limit are refused with 429 (the headers are sent either way). */
  public void enforced(boolean enforced) {
    this.enforced = enforced;
  }

  /**
   * The limits for the routes {@code bucketByRoute} lists.
   *
   * @throws IllegalArgumentException if an override names a route the emulator does not serve
   */
  RateLimits build(Map<String, String> bucketByRoute, LongSupplier clockMillis) {
    Map<String, RateLimits.Limit> limits = new HashMap<>(DEFAULTS);
    overrides.forEach((route, limit) -> {
      String bucket = bucketByRoute.get(route);
      if (bucket == null) {
        throw new IllegalArgumentException(
            "the Discord emulator serves no route \"" + route + "\"; name one like \"POST /channels/{channel_id}/messages\""
                + " (served: " + new java.util.TreeSet<>(bucketByRoute.keySet()) + ")");
      }
      limits.put(bucket, limit);
    });
    return new RateLimits(limits, globalPerSecond, enforced, clockMillis);
  }
}
