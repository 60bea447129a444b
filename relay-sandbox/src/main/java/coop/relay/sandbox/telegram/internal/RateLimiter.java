package coop.relay.sandbox.telegram.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The sending limits of one bot, as the Bot API FAQ states them: about one message per second in a
 * chat (short bursts tolerated), at most 20 messages per minute in a group, about 30 messages per
 * second overall. A refused send costs nothing. Guarded by the state's lock.
 */
final class RateLimiter {
  static final int CHAT_BURST = 5;
  static final int GROUP_PER_MINUTE = 20;
  static final int GLOBAL_PER_SECOND = 30;

  private static final class Bucket {
    double tokens = CHAT_BURST;
    long at;
  }

  private final Map<Long, Bucket> chats = new HashMap<>();
  private final Map<Long, Deque<Long>> groups = new HashMap<>();
  private final Deque<Long> global = new ArrayDeque<>();

  /**
   * Records a send to {@code chatId} at {@code nowMillis} if the limits allow it.
   *
   * @return 0 if allowed, else the seconds to wait (at least 1)
   */
  long tryAcquire(long chatId, boolean group, long nowMillis) {
    Bucket bucket = chats.computeIfAbsent(chatId, id -> {
      Bucket b = new Bucket();
      b.at = nowMillis;
      return b;
    });
    bucket.tokens = Math.min(CHAT_BURST, bucket.tokens + (nowMillis - bucket.at) / 1000.0);
    bucket.at = nowMillis;
    long wait = 0;
    if (bucket.tokens < 1) {
      wait = Math.max(wait, (long) Math.ceil((1 - bucket.tokens) * 1000));
    }
    Deque<Long> minute = group ? groups.computeIfAbsent(chatId, id -> new ArrayDeque<>()) : null;
    if (minute != null) {
      expire(minute, nowMillis, 60_000);
      if (minute.size() >= GROUP_PER_MINUTE) {
        wait = Math.max(wait, minute.peekFirst() + 60_000 - nowMillis);
      }
    }
    expire(global, nowMillis, 1_000);
    if (global.size() >= GLOBAL_PER_SECOND) {
      wait = Math.max(wait, global.peekFirst() + 1_000 - nowMillis);
    }
    if (wait > 0) {
      return Math.max(1, (wait + 999) / 1000);
    }
    bucket.tokens -= 1;
    if (minute != null) {
      minute.addLast(nowMillis);
    }
    global.addLast(nowMillis);
    return 0;
  }

  private static void expire(Deque<Long> window, long now, long span) {
    while (!window.isEmpty() && window.peekFirst() + span <= now) {
      window.removeFirst();
    }
  }
}
