package coop.relay.telegram.internal;

import coop.relay.support.Quota;
import coop.relay.support.RateLimiter;
import reactor.core.scheduler.Scheduler;

/**
 * Telegram's sending limits (Bot FAQ, "My bot is hitting limits"): about one message per second in
 * a chat, at most twenty per minute in a group (and channel, whose ids are negative too), about
 * thirty per second overall. Kept by waiting in order, never by failing; a 429 that happens anyway
 * pauses the chat for exactly {@code parameters.retry_after}.
 */
final class SendLimits {
  private SendLimits() {}

  /** The limiter for {@code connectorId}; keys are chat ids. */
  static RateLimiter create(String connectorId, Scheduler scheduler, boolean enforceQuotas) {
    RateLimiter.Builder builder = RateLimiter.builder().name("telegram '" + connectorId + "'").scheduler(scheduler);
    if (enforceQuotas) {
      builder.keyQuota(Quota.perSecond(1))
          .keyQuota(chatId -> chatId.startsWith("-"), Quota.perMinute(20))
          .globalQuota(Quota.perSecond(30));
    }
    return builder.build();
  }
}
