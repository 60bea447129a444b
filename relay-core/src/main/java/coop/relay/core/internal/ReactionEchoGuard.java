package coop.relay.core.internal;

import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.text.Emoji;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The core's own loop guard for reactions. Reactions have no id that survives the round trip and no
 * place for an origin marker, so the relay registers every reaction it is about to send and
 * recognises its echo as the same reaction, on the same message, made by a bot account. A person
 * making the same reaction is never mistaken for the echo, because people are not bots.
 *
 * <p>Bounded: when more than {@code capacity} registrations wait for an echo that the connector
 * already filtered out, the oldest are forgotten.
 */
final class ReactionEchoGuard {
  private record Key(MessageRef target, String emoji, boolean add) {}

  private final int capacity;
  private final Map<Key, Integer> pending = new HashMap<>();
  private final ArrayDeque<Key> order = new ArrayDeque<>();

  ReactionEchoGuard(int capacity) {
    this.capacity = capacity;
  }

  /** Called before the relay adds or removes {@code emoji} on {@code target}. */
  synchronized void sending(MessageRef target, Emoji emoji, boolean add) {
    Key key = new Key(target, emojiKey(emoji), add);
    pending.merge(key, 1, Integer::sum);
    order.addLast(key);
    if (order.size() > capacity) {
      release(order.pollFirst());
    }
  }

  /** Called when a send failed for good: no echo will come. */
  synchronized void notSent(MessageRef target, Emoji emoji, boolean add) {
    Key key = new Key(target, emojiKey(emoji), add);
    if (order.removeLastOccurrence(key)) {
      release(key);
    }
  }

  /** Whether an inbound reaction is the echo of one the relay sent; if so, it is consumed. */
  synchronized boolean isEcho(MessageRef target, Emoji emoji, boolean add, Identity user) {
    if (!user.bot() || pending.isEmpty()) {
      return false;
    }
    Key key = new Key(target, emojiKey(emoji), add);
    if (!pending.containsKey(key)) {
      return false;
    }
    order.removeFirstOccurrence(key);
    release(key);
    return true;
  }

  private void release(Key key) {
    pending.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
  }

  private static String emojiKey(Emoji emoji) {
    return emoji.unicode() != null ? emoji.unicode() : ":" + emoji.name() + ":";
  }
}
