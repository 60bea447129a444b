package coop.relay.sandbox.slack.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Slack's Web API rate limits, per app and method, as token buckets: the documented tiers (Tier 1:
 * 1+ per minute, Tier 2: 20+, Tier 3: 50+, Tier 4: 100+, each tolerating short bursts) and
 * chat.postMessage's special limit of about one message per second per channel with short bursts.
 * A refused call costs nothing. Thread-safe.
 */
final class RateLimits {

  /** A limit: a sustained rate and how many calls a burst may hold. */
  enum Tier {
    TIER_1(1, 3),
    TIER_2(20, 10),
    TIER_3(50, 20),
    TIER_4(100, 40),
    /** chat.postMessage, per channel: one a second, bursts of five. */
    POST_PER_CHANNEL(60, 5);

    final double perSecond;
    final int burst;

    Tier(int perMinute, int burst) {
      this.perSecond = perMinute / 60.0;
      this.burst = burst;
    }
  }

  private static final Map<String, Tier> TIERS = Map.ofEntries(
      Map.entry("auth.test", Tier.TIER_4),
      Map.entry("users.info", Tier.TIER_4),
      Map.entry("conversations.info", Tier.TIER_3),
      Map.entry("conversations.history", Tier.TIER_3),
      Map.entry("conversations.replies", Tier.TIER_3),
      Map.entry("chat.postMessage", Tier.POST_PER_CHANNEL),
      Map.entry("chat.meMessage", Tier.TIER_3),
      Map.entry("chat.update", Tier.TIER_3),
      Map.entry("chat.delete", Tier.TIER_3),
      Map.entry("reactions.add", Tier.TIER_3),
      Map.entry("reactions.remove", Tier.TIER_2),
      Map.entry("files.getUploadURLExternal", Tier.TIER_4),
      Map.entry("files.completeUploadExternal", Tier.TIER_4),
      Map.entry("apps.connections.open", Tier.TIER_3));

  private static final class Bucket {
    double tokens;
    long at;
  }

  private final Map<String, Bucket> buckets = new HashMap<>();

  /**
   * Counts a call of {@code method} by {@code appId} (in {@code channel} for chat.postMessage) at
   * {@code nowMillis} if the limit allows it.
   *
   * @return 0 if allowed, else the seconds to wait before retrying (at least 1)
   */
  synchronized long tryAcquire(String appId, String method, String channel, long nowMillis) {
    Tier tier = TIERS.getOrDefault(method, Tier.TIER_3);
    String key = appId + "|" + method + (tier == Tier.POST_PER_CHANNEL ? "|" + channel : "");
    Bucket bucket = buckets.computeIfAbsent(key, k -> {
      Bucket b = new Bucket();
      b.tokens = tier.burst;
      b.at = nowMillis;
      return b;
    });
    bucket.tokens = Math.min(tier.burst, bucket.tokens + (nowMillis - bucket.at) / 1000.0 * tier.perSecond);
    bucket.at = nowMillis;
    if (bucket.tokens < 1) {
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / tier.perSecond));
    }
    bucket.tokens -= 1;
    return 0;
  }
}
