package coop.relay.sandbox.telegram.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Sinks;

/**
 * One emulated bot: its token, its pending updates, its update settings and webhook. Guarded by the
 * state's lock, except {@link #signal}, which wakes its long polls.
 */
final class BotAccount {
  /** Update kinds a bot gets only when it asks for them in {@code allowed_updates}. */
  static final Set<String> OPT_IN = Set.of("chat_member", "message_reaction", "message_reaction_count");

  record Webhook(
      String url,
      @Nullable String secretToken,
      int maxConnections,
      @Nullable Long lastErrorDate,
      @Nullable String lastErrorMessage) {

    Webhook failed(long date, String message) {
      return new Webhook(url, secretToken, maxConnections, date, message);
    }
  }

  final String token;
  final TgUser user;
  final Deque<Update> updates = new ArrayDeque<>();
  long nextUpdateId;
  /** What the bot last asked for; empty means the default. */
  List<String> allowedUpdates = List.of();
  @Nullable Webhook webhook;
  long pollGeneration;
  final RateLimiter limiter = new RateLimiter();
  final Sinks.Many<Long> signal = Sinks.many().multicast().directBestEffort();

  BotAccount(String token, TgUser user, long firstUpdateId) {
    this.token = token;
    this.user = user;
    this.nextUpdateId = firstUpdateId;
  }

  boolean wants(String updateType) {
    return allowedUpdates.isEmpty() ? !OPT_IN.contains(updateType) : allowedUpdates.contains(updateType);
  }

  /** Wakes every long poll of this bot so it looks again. Called with the state's lock held. */
  void wake() {
    signal.tryEmitNext(pollGeneration);
  }

  @Override
  public String toString() {
    // Never the token: it is a secret.
    return "BotAccount[" + user.id() + " @" + user.username() + "]";
  }
}
